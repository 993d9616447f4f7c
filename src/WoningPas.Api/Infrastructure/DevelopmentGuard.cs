namespace WoningPas.Api.Infrastructure;

/// <summary>
/// A Development host relaxes what a deployed one must not (plain-HTTP cookies, the OpenAPI reader, a key file): it
/// may only ever be reachable from this machine, so it refuses to start on anything but a loopback address.
/// </summary>
public static class DevelopmentGuard
{
    public static void RefuseNonLoopback(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Environment.IsDevelopment())
        {
            return;
        }

        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? "";
        var exposed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(url => !IsLoopback(url))
            .ToList();
        if (exposed.Count > 0)
        {
            throw new InvalidOperationException(
                $"A Development host listens on loopback only; refused: {string.Join(", ", exposed)}. Use Production settings to serve others.");
        }
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards ("http://*:80", "http://+:80") bind every interface.
        var host = Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal)
            .Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Host : "";
        return host is "localhost" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address)
            && System.Net.IPAddress.IsLoopback(address));
    }
}
