using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WoningPas.DevHost;
using WoningPas.Integrations;

namespace WoningPas.Integrations.Tests;

/// <summary>
/// The registry clients as the Api registers them (options, pipeline, limiter, cache), against this test's own
/// simulators over real HTTP on a loopback port. The cache's clock is a fake one, so that a stale copy's age is exact.
/// </summary>
public sealed class RegistryClients : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly bool _ownsSimulators;

    private RegistryClients(RegistrySimulators simulators, ServiceProvider services, FakeTimeProvider time, bool ownsSimulators)
    {
        Simulators = simulators;
        _services = services;
        Time = time;
        _ownsSimulators = ownsSimulators;
    }

    public RegistrySimulators Simulators { get; }

    /// <summary>
    /// Timeouts far above the simulators' latency: on a loaded test machine a 3 s attempt timeout would retry a slow
    /// answer and count a second call, which is the pipeline working, not what these tests measure.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> PatientTimeouts { get; } =
        new[] { "Flood", "Permits", "Address", "Energy", "Waste", "Cadastre" }
            .SelectMany(name => new[]
            {
                new KeyValuePair<string, string?>($"Registries:{name}:AttemptTimeout", "00:00:30"),
                new KeyValuePair<string, string?>($"Registries:{name}:TotalTimeout", "00:01:00"),
            })
            .ToDictionary(p => p.Key, p => p.Value);

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <param name="simulator">Simulator settings, as "Simulators:Registries:{name}:{Setting}" = value.</param>
    /// <param name="client">Client settings on top of what the simulators give, as "Registries:{Name}:{Setting}" = value.</param>
    public static async Task<RegistryClients> StartAsync(IReadOnlyDictionary<string, string?>? simulator = null,
        IReadOnlyDictionary<string, string?>? client = null)
    {
        var simulators = await RegistrySimulators.StartAsync(RepositoryRoot.Find(), simulator, CancellationToken.None);
        return await StartAsync(simulators, ownsSimulators: true, client);
    }

    /// <summary>One replica of several: the given simulators, Redis as second level and invalidation channel.</summary>
    public static Task<RegistryClients> StartReplicaAsync(RegistrySimulators simulators, string redis, int replicas,
        IReadOnlyDictionary<string, string?>? client = null)
    {
        var settings = new Dictionary<string, string?>(client ?? new Dictionary<string, string?>())
        {
            ["Registries:Replicas"] = replicas.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConnectionStrings:Redis"] = redis,
        };
        return StartAsync(simulators, ownsSimulators: false, settings);
    }

    private static async Task<RegistryClients> StartAsync(RegistrySimulators simulators, bool ownsSimulators,
        IReadOnlyDictionary<string, string?>? client)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(simulators.ApiSettings)
            .AddInMemoryCollection(PatientTimeouts)
            .AddInMemoryCollection(client ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        services.AddSingleton<TimeProvider>(time);
        services.AddRegistries();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            services.AddRegistryCacheRedis(redis);
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        // No host runs here: start the invalidation subscriber as the host would.
        await provider.GetRequiredService<Caching.CacheInvalidationBus>().StartAsync(CancellationToken.None);
        return new RegistryClients(simulators, provider, time, ownsSimulators);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<Caching.CacheInvalidationBus>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        if (_ownsSimulators)
        {
            await Simulators.DisposeAsync();
        }
    }
}
