# The example's GenServer: greets on the console when it starts (the
# greeting comes from the application's environment, so the line shows which
# configuration won) and counts the calls it answers.
defmodule HelloElixir.Server do
  use GenServer

  def start_link(_), do: GenServer.start_link(__MODULE__, 0, name: __MODULE__)

  def hits, do: GenServer.call(__MODULE__, :hit)

  @impl true
  def init(count) do
    greeting = Application.fetch_env!(:hello_elixir, :greeting)
    IO.puts("hello_elixir: #{greeting} (#{String.upcase("ünïcödé")}, #{Enum.sum(1..100)})")
    {:ok, count}
  end

  @impl true
  def handle_call(:hit, _from, count), do: {:reply, count + 1, count + 1}
end
