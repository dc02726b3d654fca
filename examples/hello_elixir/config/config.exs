# Compile-time configuration: config/runtime.exs overrides :greeting at boot.
import Config

config :hello_elixir,
  greeting: "hello from compile time",
  halt_after_boot: nil,
  confirm_release: false
