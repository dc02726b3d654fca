# compile_exs.exs EBIN PLAN FILE... - tools/freebeam test-image's ExUnit half
# on the host: compiles each ExUnit file (foo_test.exs) into EBIN, as
# `mix test` would load it (ExUnit started, not run), and appends to PLAN one
# line per test module it defines, `FILE<TAB>{exunit, 'Elixir.FooTest'}.`,
# for fb_test_runner's plan.  Other modules of the file (helpers) are
# compiled too, not run.  Exits 1 if a file does not compile or defines no
# test module.
[ebin, plan | files] = System.argv()
ExUnit.start(autorun: false)

lines =
  for file <- files do
    case Kernel.ParallelCompiler.compile_to_path([file], ebin) do
      {:ok, modules, _warnings} ->
        tests = Enum.filter(modules, &function_exported?(&1, :__ex_unit__, 0))

        if tests == [] do
          IO.puts(:stderr, "#{file}: defines no ExUnit test module (use ExUnit.Case)")
          System.halt(1)
        end

        for mod <- Enum.sort(tests), do: "#{file}\t#{:io_lib.format('{exunit, ~p}.', [mod])}\n"

      {:error, _errors, _warnings} ->
        IO.puts(:stderr, "#{file}: does not compile")
        System.halt(1)
    end
  end

File.write!(plan, lines, [:append])
