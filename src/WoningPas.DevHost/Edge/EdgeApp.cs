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

    public static WebApplication Build(string url, Uri apiUrl, Uri webUrl)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
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
            })
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
            Cluster("api", apiUrl),
            Cluster("web", webUrl),
        };
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }

    private static ClusterConfig Cluster(string id, Uri destination) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig>
        {
            [id] = new() { Address = destination.ToString() },
        },
    };
}
