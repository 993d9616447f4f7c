using Microsoft.Extensions.Options;

namespace WoningPas.Simulators.Simulation;

/// <summary>All simulated registries of the host, by short name.</summary>
public sealed class SimulatedRegistries
{
    public const string Address = "address";
    public const string Energy = "energy";
    public const string Waste = "waste";
    public const string Flood = "flood";
    public const string Permits = "permits";
    public const string Cadastre = "cadastre";

    private readonly Dictionary<string, SimulatedRegistry> _registries;

    public SimulatedRegistries(IOptions<SimulatorOptions> options, TimeProvider time)
    {
        _registries = Names.ToDictionary(name => name, name => new SimulatedRegistry(name, options.Value.Registries[name], time),
            StringComparer.OrdinalIgnoreCase);
    }

    public static IReadOnlyList<string> Names { get; } = [Address, Energy, Waste, Flood, Permits, Cadastre];

    public SimulatedRegistry this[string name] => _registries[name];

    public bool TryGet(string name, out SimulatedRegistry registry) => _registries.TryGetValue(name, out registry!);

    public IEnumerable<SimulatedRegistry> All => _registries.Values;
}
