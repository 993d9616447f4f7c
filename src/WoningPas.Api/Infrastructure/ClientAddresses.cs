using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// Proxies in front of the Api (the edge, the WAF) whose X-Forwarded-For and X-Forwarded-Proto are believed (section
/// "ForwardedHeaders", loopback always). Without this every client would share the proxy's address, and the
/// per-address rate limit and the access log's client address would be the proxy's; with it, only a trusted proxy can
/// set the address, so a client cannot spoof one to dodge its limit.
/// </summary>
public sealed class ForwardedHeaderSettings
{
    public const string SectionName = "ForwardedHeaders";

    public IReadOnlyList<string> KnownProxies { get; set; } = [];
}

public static class ClientAddresses
{
    public static WebApplicationBuilder AddClientAddresses(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeaderSettings>().BindConfiguration(ForwardedHeaderSettings.SectionName)
            .Validate(settings => settings.KnownProxies.All(proxy => IPAddress.TryParse(proxy, out _)),
                "ForwardedHeaders:KnownProxies must be IP addresses.")
            .ValidateOnStart();
        var proxies = builder.Configuration.GetSection(ForwardedHeaderSettings.SectionName).Get<ForwardedHeaderSettings>()
            ?.KnownProxies ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback (the DevHost's edge) is trusted by default; production proxies are listed in configuration.
            foreach (var proxy in proxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
            }
        });
        return builder;
    }
}
