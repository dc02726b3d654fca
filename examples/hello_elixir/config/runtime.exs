# Runtime configuration, evaluated when the release boots (in the image,
# too): its values win over config/config.exs.  HELLO_HALT, when set (the
# image's environment: `--env HELLO_HALT=N`), makes the example power off
# with status N once it has said hello.
import Config

config :hello_elixir, greeting: "hello from runtime.exs"

case System.get_env("HELLO_HALT") do
  nil -> :ok
  n -> config :hello_elixir, halt_after_boot: String.to_integer(n)
end
