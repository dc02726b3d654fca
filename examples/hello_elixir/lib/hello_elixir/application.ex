# The example's Application: starts the supervisor of HelloElixir.Server,
# then, when :halt_after_boot is set, says so and halts with that status.
defmodule HelloElixir.Application do
  use Application

  @impl true
  def start(_type, _args) do
    children = [HelloElixir.Server]
    {:ok, sup} = Supervisor.start_link(children, strategy: :one_for_one, name: HelloElixir.Supervisor)

    case Application.get_env(:hello_elixir, :halt_after_boot) do
      nil ->
        :ok

      status ->
        # After the boot script has started everything: not from start/2.
        spawn(fn ->
          :init.get_status() |> wait_started()
          started = for {app, _, _} <- Application.started_applications(), do: app
          IO.puts("hello_elixir: booted, running #{inspect(Enum.sort(started))}; halting with status #{status}")
          System.halt(status)
        end)
    end

    {:ok, sup}
  end

  defp wait_started({:started, _}), do: :ok

  defp wait_started(_) do
    Process.sleep(10)
    :init.get_status() |> wait_started()
  end
end
