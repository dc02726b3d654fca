# mix_freebeam: the `mix freebeam.image` task (docs/elixir.md), installed as
# a Mix archive with `make mix-task` from the freebeam repository.  The
# archive remembers that repository (tools/freebeam runs from it).
defmodule MixFreebeam.MixProject do
  use Mix.Project

  def project do
    [app: :mix_freebeam, version: "0.1.0", elixir: "~> 1.14", deps: []]
  end

  def application, do: []
end
