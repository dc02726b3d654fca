# The example's Application: starts the supervisor of HelloElixir.Server,
# then, once the boot is over: when :confirm_release is set and the release
# runs on trial (an update, docs/storage.md), confirms it; when
# :halt_after_boot is set, says so and halts with that status.
defmodule HelloElixir.Application do
  use Application

  @impl true
  def start(_type, _args) do
    children = [HelloElixir.Server]
    {:ok, sup} = Supervisor.start_link(children, strategy: :one_for_one, name: HelloElixir.Supervisor)

    # After the boot script has started everything: not from start/2.
    spawn(fn ->
      :init.get_status() |> wait_started()
      if Application.get_env(:hello_elixir, :confirm_release), do: confirm()

      case Application.get_env(:hello_elixir, :halt_after_boot) do
        nil ->
          :ok

        status ->
          started = for {app, _, _} <- Application.started_applications(), do: app
          IO.puts("hello_elixir: booted, running #{inspect(Enum.sort(started))}; halting with status #{status}")
          System.halt(status)
      end
    end)

    {:ok, sup}
  end

  # A release on trial stays only once it says it works (docs/storage.md).
  defp confirm do
    case :freebeam_release.current() do
      {:trial, vsn, _previous} ->
        :ok = :freebeam_release.confirm()
        IO.puts("hello_elixir: release #{vsn} confirmed")

      _ ->
        :ok
    end
  end

  defp wait_started({:started, _}), do: :ok

  defp wait_started(_) do
    Process.sleep(10)
    :init.get_status() |> wait_started()
  end
end
