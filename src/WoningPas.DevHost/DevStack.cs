using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WoningPas.Api;
using WoningPas.DevHost.Edge;
using WoningPas.IdentityProvider;
using WoningPas.Web;

namespace WoningPas.DevHost;

/// <summary>What the stack needs: a migrated database, where the edge listens, and where the sources are.</summary>
public sealed record DevStackOptions(string ConnectionString, string EdgeUrl, string RepositoryRoot)
{
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Simulator settings to override, as "Simulators:Registries:{name}:{Setting}" = value.</summary>
    public IReadOnlyDictionary<string, string?>? SimulatorSettings { get; init; }

    /// <summary>Api instances behind the edge; more than one needs <see cref="RedisConfiguration"/>.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The Redis the replicas share their cache and its invalidation through.</summary>
    public string? RedisConfiguration { get; init; }

    /// <summary>Api settings to add or override, as "Section:Key" = value.</summary>
    public IReadOnlyDictionary<string, string?>? ApiSettings { get; init; }

    /// <summary>Where the stack's clamd keeps its config, socket and signatures; null: a temporary directory.</summary>
    public string? ClamdDirectory { get; init; }
}

/// <summary>
/// The whole product in one process, for the local run and the end-to-end tests: the on-premise Api and the cloud Web
/// as separate hosts on their own loopback ports, and an edge in front that routes by path as the CDN does.
/// </summary>
public sealed class DevStack : IAsyncDisposable
{
    private readonly List<WebApplication> _hosts = [];
    private RegistrySimulators? _simulators;
    private StandInIdentityProvider? _identity;
    private LocalClamd? _clamd;

    private DevStack()
    {
    }

    public Uri EdgeUrl { get; private set; } = null!;
    public Uri ApiUrl => ApiUrls[0];

    /// <summary>Every Api replica, in start order.</summary>
    public IReadOnlyList<Uri> ApiUrls { get; private set; } = [];

    /// <summary>Every Api replica's host, for tests that reach into one replica's services.</summary>
    public IReadOnlyList<WebApplication> ApiHosts { get; private set; } = [];
    public Uri WebUrl { get; private set; } = null!;

    /// <summary>The identity providers' stand-in: citizens' and staff issuers, speaking OpenID Connect.</summary>
    public StandInIdentityProvider Identity => _identity ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>The third-party registries' stand-ins the Api talks to.</summary>
    public RegistrySimulators Simulators => _simulators ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>The virus scanner every Api replica sends uploads to; without one every upload is refused (503).</summary>
    public LocalClamd Clamd => _clamd ?? throw new InvalidOperationException("The stack has not started.");

    public static async Task<DevStack> StartAsync(DevStackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stack = new DevStack();
        try
        {
            stack._simulators = await RegistrySimulators.StartAsync(options.RepositoryRoot, options.SimulatorSettings, cancellationToken);
            // The edge's address is in the redirect URIs the identity provider accepts, so it is fixed before anything starts.
            var edgeUrl = new Uri(options.EdgeUrl);
            if (edgeUrl.Port == 0)
            {
                edgeUrl = StandInIdentityProvider.FreeLoopbackOrigin(edgeUrl.Host);
            }

            stack._identity = await StandInIdentityProvider.StartAsync(
                new StandInOptions(DemoIdentities.Users, [edgeUrl]) { SignInByLoginHint = true }, cancellationToken);
            stack._clamd = await LocalClamd.StartAsync(options.ClamdDirectory, cancellationToken);
            if (options.Replicas > 1 && string.IsNullOrEmpty(options.RedisConfiguration))
            {
                throw new ArgumentException("Several Api replicas share their cache through Redis: give RedisConfiguration.", nameof(options));
            }

            var apiUrls = new List<Uri>();
            var apiHosts = new List<WebApplication>();
            for (var replica = 0; replica < options.Replicas; replica++)
            {
                var api = ApiApp.Build(
                    new WebApplicationOptions
                    {
                        EnvironmentName = options.EnvironmentName,
                        ContentRootPath = Path.Combine(options.RepositoryRoot, "src", "WoningPas.Api"),
                    },
                    builder =>
                    {
                        builder.WebHost.UseUrls("http://127.0.0.1:0");
                        builder.Configuration["ConnectionStrings:WoningPas"] = options.ConnectionString;
                        builder.Configuration.AddInMemoryCollection(stack._simulators.ApiSettings);
                        builder.Configuration.AddInMemoryCollection(stack._identity.ApiSettings);
                        builder.Configuration["Documents:Clamd:Endpoint"] = stack._clamd.Endpoint;
                        builder.Configuration["Registries:Replicas"] = options.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        builder.Configuration["RateLimits:Replicas"] = options.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (!string.IsNullOrEmpty(options.RedisConfiguration))
                        {
                            builder.Configuration["ConnectionStrings:Redis"] = options.RedisConfiguration;
                        }

                        if (options.ApiSettings is not null)
                        {
                            builder.Configuration.AddInMemoryCollection(options.ApiSettings);
                        }
                    });
                apiUrls.Add(await stack.StartHostAsync(api, cancellationToken));
                apiHosts.Add(api);
            }

            stack.ApiUrls = apiUrls;
            stack.ApiHosts = apiHosts;

            var web = WebApp.Build(
                new WebApplicationOptions
                {
                    EnvironmentName = options.EnvironmentName,
                    ContentRootPath = Path.Combine(options.RepositoryRoot, "src", "WoningPas.Web"),
                    WebRootPath = Path.Combine(options.RepositoryRoot, "src", "WoningPas.Web", "wwwroot"),
                },
                builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
            stack.WebUrl = await stack.StartHostAsync(web, cancellationToken);

            var edge = EdgeApp.Build(edgeUrl.GetLeftPart(UriPartial.Authority), stack.ApiUrls, stack.WebUrl, stack._identity);
            stack.EdgeUrl = await stack.StartHostAsync(edge, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        _hosts.Clear();
        if (_simulators is not null)
        {
            await _simulators.DisposeAsync();
            _simulators = null;
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
            _identity = null;
        }

        if (_clamd is not null)
        {
            await _clamd.DisposeAsync();
            _clamd = null;
        }
    }

    private async Task<Uri> StartHostAsync(WebApplication host, CancellationToken cancellationToken)
    {
        _hosts.Add(host);
        await host.StartAsync(cancellationToken);
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("The server reports no addresses.");
        return new Uri(addresses.Addresses.First());
    }
}
