using System.ComponentModel.DataAnnotations;

namespace WoningPas.Simulators.Simulation;

/// <summary>Section <c>Simulators</c>: one entry per registry, by its short name (address, energy, waste, flood, permits, cadastre).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulators";

    public Dictionary<string, RegistrySettings> Registries { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>How one simulated registry behaves at start; every value can be changed at run time through <c>/_sim</c>.</summary>
public sealed class RegistrySettings
{
    /// <summary>The header the registry reads its key from; each registry has its own.</summary>
    [Required]
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    [Required]
    public string ApiKey { get; set; } = "";

    /// <summary>Published capacity in requests per second; the bucket holds one second of it.</summary>
    [Range(0.1, 100_000)]
    public double Capacity { get; set; } = 20;

    [Range(0, 60_000)]
    public int LatencyMs { get; set; }

    /// <summary>Uniform extra latency between 0 and this many milliseconds.</summary>
    [Range(0, 60_000)]
    public int JitterMs { get; set; }

    /// <summary>Share of admitted calls that answer 500, between 0 and 1.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    /// <summary>When on, every admitted call answers 503, as a registry in maintenance does.</summary>
    public bool Outage { get; set; }
}

/// <summary>A run-time change through <c>PUT /_sim/registries/{name}</c>: only the given fields change.</summary>
public sealed record RegistryChange(double? Capacity, int? LatencyMs, int? JitterMs, double? ErrorRate, bool? Outage);

public sealed class SimulatorOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SimulatorOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        foreach (var registry in SimulatedRegistries.Names)
        {
            if (!options.Registries.TryGetValue(registry, out var settings))
            {
                failures.Add($"Simulators:Registries:{registry} is missing.");
                continue;
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"Simulators:Registries:{registry}: {r.ErrorMessage}"));
            }
        }

        return failures.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
