namespace WoningPas.Simulators;

/// <summary>The simulators on their own, for a registry to poke at by hand (`dotnet run --project src/WoningPas.Simulators`).</summary>
public sealed class SimulatorsProgram
{
    private SimulatorsProgram()
    {
    }

    public static async Task Main(string[] args) =>
        await SimulatorsApp.Build(new WebApplicationOptions { Args = args }).RunAsync();
}
