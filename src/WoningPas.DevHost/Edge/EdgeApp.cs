using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace WoningPas.DevHost.Edge;

/// <summary>
/// The local stand-in for the CDN's path routing: personal paths go to the on-premise Api, everything else to the
/// cloud Web. Cookies travel only to the Api: the Web never sees one and can never set one.
/// </summary>
public static class EdgeApp
{
    private static readonly string[] ApiPaths = ["/api", "/account", "/staff", "/healthz"];

    /// <summary>
    /// With several Api replicas, the edge spreads the personal calls over them, round robin. With an identity
    /// stand-in, it also serves the local run's persona shortcut.
    /// </summary>
    public static WebApplication Build(string url, IReadOnlyList<Uri> apiUrls, Uri webUrl,
        IdentityProvider.StandInIdentityProvider? identity = null)
    {
        ArgumentNullException.ThrowIfNull(apiUrls);
        ArgumentNullException.ThrowIfNull(webUrl);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();

        var routes = ApiPaths
            .Select(path => new RouteConfig
            {
                RouteId = "api" + path.Replace('/', '-'),
                ClusterId = "api",
                Match = new RouteMatch { Path = path + "/{**rest}" },
            }
            // The Api builds its sign-in redirect URIs from the address the browser used.
            .WithTransformUseOriginalHostHeader())
            .Append(new RouteConfig
            {
                RouteId = "web",
                ClusterId = "web",
                Match = new RouteMatch { Path = "/{**rest}" },
            }
            .WithTransformRequestHeaderRemove("Cookie")
            .WithTransformResponseHeaderRemove("Set-Cookie", ResponseCondition.Always))
            .ToList();
        var clusters = new[]
        {
            Cluster("api", apiUrls),
            Cluster("web", [webUrl]),
        };
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

        var app = builder.Build();
        if (identity is not null)
        {
            app.MapPersonaShortcut(identity);
        }

        app.MapReverseProxy();
        return app;
    }

    private static ClusterConfig Cluster(string id, IReadOnlyList<Uri> destinations) => new()
    {
        ClusterId = id,
        LoadBalancingPolicy = "RoundRobin",
        Destinations = destinations.Select((destination, index) => (destination, index)).ToDictionary(
            d => $"{id}-{d.index}", d => new DestinationConfig { Address = d.destination.ToString() }),
    };
}
