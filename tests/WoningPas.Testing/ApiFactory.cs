using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using WoningPas.Api;
using WoningPas.DevHost;
using Xunit;

namespace WoningPas.Testing;

/// <summary>
/// The on-premise Api in memory against its own PostgreSQL database, in Development so that the demo personas can
/// sign in. Time is a fake clock set to a fixed day, so that validity rules give the same answers every year.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<ApiProgram>, IAsyncLifetime
{
    private TestDatabase? _database;
    private RegistrySimulators? _simulators;

    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Configuration a test adds or overrides, as "Section:Key" = value.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public static DateTimeOffset Today { get; } = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Today);

    /// <summary>Extra service replacements a test needs, applied after the Api's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Npgsql settings appended to the connection string ("Timeout=60"), for tests that load the pool hard.</summary>
    public string? ConnectionOptions { get; init; }

    public string ConnectionString => _database?.ConnectionString
        ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    /// <summary>Simulator settings to override, as "Simulators:Registries:{name}:{Setting}" = value.</summary>
    public IReadOnlyDictionary<string, string?>? SimulatorSettings { get; init; }

    /// <summary>This factory's own registry simulators, on a loopback port: real HTTP from the Api's clients.</summary>
    public RegistrySimulators Simulators => _simulators
        ?? throw new InvalidOperationException("The simulators are started in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabases.CreateAsync();
        _simulators = await RegistrySimulators.StartAsync(RepositoryRoot.Find(), SimulatorSettings, CancellationToken.None);
    }

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as <paramref name="persona"/>.</summary>
    public async Task<HttpClient> SignedInClientAsync(string persona)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri($"/account/dev-login?persona={persona}&returnUrl=/woningpas", UriKind.Relative));
        if ((int)response.StatusCode != 302)
        {
            throw new InvalidOperationException($"Signing in as {persona} answered {(int)response.StatusCode}.");
        }

        return client;
    }

    public HttpClient AnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:WoningPas",
            string.IsNullOrEmpty(ConnectionOptions) ? ConnectionString : ConnectionString + ";" + ConnectionOptions);
        foreach (var (key, value) in Simulators.ApiSettings)
        {
            builder.UseSetting(key, value);
        }
        foreach (var (key, value) in TestKeys.Configuration.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            TestServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_simulators is not null)
        {
            await _simulators.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
