# `mix freebeam.image`: a freebeam image from the current Mix project, without
# leaving mix: runs `mix release` (the project's release, as configured in
# mix.exs), then `tools/freebeam image --release` on what it made.
defmodule Mix.Tasks.Freebeam.Image do
  use Mix.Task

  @shortdoc "Builds a freebeam image from the project's release"
  @moduledoc """
  Builds a bootable freebeam image from the project's release.

      MIX_ENV=prod mix freebeam.image [-o OUT.img] [--release NAME] [--freebeam DIR] [-- IMAGE_OPTIONS...]

  Runs `mix release NAME --overwrite` (give the release `include_erts: false`:
  the image brings its own erts), then `tools/freebeam image --release
  _build/ENV/rel/NAME -o OUT.img IMAGE_OPTIONS...` (`--env K=V`, `--shell`,
  `--arg A`, ...: docs/releases.md).  OUT.img defaults to NAME.img.  The
  freebeam repository is --freebeam DIR, else $FREEBEAM_ROOT, else the one
  the task was installed from.
  """

  # Where `make mix-task` built this archive from: tools/mix_freebeam/../..
  @installed_from Path.expand("../../../../..", __DIR__)

  @impl true
  def run(argv) do
    {ours, image_args} = split_args(argv)

    {opts, rest, invalid} =
      OptionParser.parse(ours, strict: [output: :string, release: :string, freebeam: :string], aliases: [o: :output])

    if invalid != [] or rest != [] do
      Mix.raise("mix freebeam.image: unknown arguments #{inspect(Enum.map(invalid, &elem(&1, 0)) ++ rest)}")
    end

    root = opts[:freebeam] || System.get_env("FREEBEAM_ROOT") || @installed_from
    tool = Path.join(root, "tools/freebeam")
    File.regular?(tool) || Mix.raise("mix freebeam.image: no freebeam repository at #{root} (give --freebeam DIR)")

    name = opts[:release] || Atom.to_string(Mix.Project.config()[:app])
    Mix.Task.run("release", [name, "--overwrite", "--quiet"])
    rel = Path.join([Mix.Project.build_path(), "rel", name])
    out = opts[:output] || name <> ".img"

    case System.cmd(tool, ["image", "--release", rel, "-o", out | image_args],
           into: IO.stream(:stdio, :line), stderr_to_stdout: true) do
      {_, 0} -> Mix.shell().info("mix freebeam.image: #{out}")
      {_, status} -> Mix.raise("mix freebeam.image: tools/freebeam image failed (exit status #{status})")
    end
  end

  defp split_args(argv) do
    case Enum.split_while(argv, &(&1 != "--")) do
      {ours, ["--" | image_args]} -> {ours, image_args}
      {ours, []} -> {ours, []}
    end
  end
end
