using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// The networks of the proxies in front of the Api (the edge, the WAF) whose X-Forwarded-For and X-Forwarded-Proto
/// are believed (section "ForwardedHeaders"; loopback always, for the DevHost's edge). Without this every client would
/// share the proxy's address, and the per-address rate limit and the access log's client address would be the proxy's;
/// with it, only a trusted proxy can set the address, so a client cannot spoof one to dodge its limit. Ranges rather
/// than addresses, because edge pods come and go with addresses from their network.
/// </summary>
public sealed class ForwardedHeaderSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>CIDR ranges, <c>10.244.0.0/16</c> or <c>fd00::/8</c>; a single proxy is a /32 (or /128).</summary>
    public IReadOnlyList<string> KnownNetworks { get; set; } = [];

    /// <summary>Every entry that is not a CIDR range, each with its position and why; empty when all parse.</summary>
    public IReadOnlyList<string> Problems() =>
    [
        .. KnownNetworks.Select((entry, index) => (entry, index))
            .Where(e => !IsRange(e.entry))
            .Select(e => $"ForwardedHeaders:KnownNetworks:{e.index} '{e.entry}' is not a CIDR range (address/prefix, with no bits set after the prefix, e.g. 10.244.0.0/16)."),
    ];

    /// <summary>
    /// A range, and written as one: <c>10.244.3.7/16</c> parses (as 10.244.0.0/16), but whoever wrote it may have
    /// meant the one proxy, so it is refused rather than quietly trusting 65,536 addresses.
    /// </summary>
    private static bool IsRange(string entry)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !System.Net.IPNetwork.TryParse(entry, out var network)
            || !System.Net.IPAddress.TryParse(entry[..slash], out var address))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }
}

public static class ClientAddresses
{
    public static WebApplicationBuilder AddClientAddresses(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeaderSettings>().BindConfiguration(ForwardedHeaderSettings.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeaderSettings>, SettingsValidation>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeaderSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback (the DevHost's edge) stays trusted: the framework's defaults hold 127.0.0.0/8 and ::1.
            foreach (var network in settings.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    options.KnownIPNetworks.Add(parsed);
                }
            }
        });
        return builder;
    }

    private sealed class SettingsValidation : IValidateOptions<ForwardedHeaderSettings>
    {
        public ValidateOptionsResult Validate(string? name, ForwardedHeaderSettings options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
