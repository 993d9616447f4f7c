using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WoningPas.Simulators;
using WoningPas.Simulators.Simulation;

namespace WoningPas.DevHost;

/// <summary>
/// The registry simulators on a loopback port, with API keys generated at start (no key in the repository is ever
/// accepted), and the configuration the Api needs to reach them: base URL, key, key header and capacity per registry.
/// Used by the local run, the tests and the benchmarks; <see cref="Admin"/> drives <c>/_sim</c>.
/// </summary>
public sealed class RegistrySimulators : IAsyncDisposable
{
    /// <summary>Simulator name → the Api's configuration name.</summary>
    private static readonly Dictionary<string, string> ApiNames = new(StringComparer.Ordinal)
    {
        [SimulatedRegistries.Address] = "Address",
        [SimulatedRegistries.Energy] = "Energy",
        [SimulatedRegistries.Waste] = "Waste",
        [SimulatedRegistries.Flood] = "Flood",
        [SimulatedRegistries.Permits] = "Permits",
        [SimulatedRegistries.Cadastre] = "Cadastre",
    };

    private readonly WebApplication _app;

    private RegistrySimulators(WebApplication app, Uri baseUrl, Dictionary<string, string?> apiSettings)
    {
        _app = app;
        BaseUrl = baseUrl;
        ApiSettings = apiSettings;
        Admin = new SimulatorAdmin(baseUrl);
    }

    public Uri BaseUrl { get; }

    /// <summary>"Registries:{Name}:{Setting}" = value, for the Api's configuration.</summary>
    public IReadOnlyDictionary<string, string?> ApiSettings { get; }

    public SimulatorAdmin Admin { get; }

    /// <summary>Starts the simulators; <paramref name="settings"/> overrides theirs, as "Simulators:Registries:{name}:{Setting}" = value.</summary>
    public static async Task<RegistrySimulators> StartAsync(string repositoryRoot, IReadOnlyDictionary<string, string?>? settings,
        CancellationToken cancellationToken)
    {
        var keys = SimulatedRegistries.Names.ToDictionary(name => name, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        var app = SimulatorsApp.Build(
            new WebApplicationOptions
            {
                EnvironmentName = "Development",
                ContentRootPath = Path.Combine(repositoryRoot, "src", "WoningPas.Simulators"),
            },
            builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                foreach (var (name, key) in keys)
                {
                    builder.Configuration[$"{SimulatorOptions.Section}:Registries:{name}:ApiKey"] = key;
                }

                foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                {
                    builder.Configuration[key] = value;
                }
            });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("The simulators report no addresses.");
        var baseUrl = new Uri(addresses.Addresses.First().TrimEnd('/') + "/");
        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        var apiSettings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, apiName) in ApiNames)
        {
            var registry = options.Registries[name];
            apiSettings[$"Registries:{apiName}:BaseUrl"] = baseUrl.ToString();
            apiSettings[$"Registries:{apiName}:ApiKey"] = keys[name];
            apiSettings[$"Registries:{apiName}:ApiKeyHeader"] = registry.ApiKeyHeader;
            apiSettings[$"Registries:{apiName}:Capacity"] = registry.Capacity.ToString(CultureInfo.InvariantCulture);
        }

        return new RegistrySimulators(app, baseUrl, apiSettings);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The <c>/_sim</c> admin endpoints of a running simulator host.</summary>
public sealed class SimulatorAdmin(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl };

    public async Task<IReadOnlyDictionary<string, RegistryStats>> StatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = await _http.GetFromJsonAsync<StatsAnswer>(new Uri("_sim/stats", UriKind.Relative), cancellationToken)
            ?? throw new InvalidOperationException("The simulators answered no stats.");
        return stats.Registries;
    }

    public async Task<RegistryStats> StatsAsync(string registry, CancellationToken cancellationToken = default) =>
        (await StatsAsync(cancellationToken))[registry];

    public async Task ChangeAsync(string registry, RegistryChange change, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync(new Uri($"_sim/registries/{registry}", UriKind.Relative), change, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(new Uri("_sim/reset", UriKind.Relative), content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    private sealed record StatsAnswer(Dictionary<string, RegistryStats> Registries);
}
