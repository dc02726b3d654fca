# hello_elixir: the Elixir example freebeam boots (docs/elixir.md): an
# Application with a supervised GenServer, a compile-time config and a
# runtime one (config/runtime.exs), released with `MIX_ENV=prod mix release`
# (no dependencies: builds offline) and made into an image with
# `tools/freebeam image --release _build/prod/rel/hello_elixir`.
defmodule HelloElixir.MixProject do
  use Mix.Project

  def project do
    [
      app: :hello_elixir,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [
        # freebeam brings its own erts (built for the board): the release
        # holds only the .beam files.  IEx stays out (it is in only when
        # asked for), and so does SASL (no release upgrades on freebeam).
        hello_elixir: [include_erts: false, applications: [iex: :none, sasl: :none]]
      ]
    ]
  end

  def application do
    [mod: {HelloElixir.Application, []}, extra_applications: [:logger]]
  end
end
