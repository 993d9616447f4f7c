using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace WoningPas.Web.Caching;

/// <summary>
/// Brotli and gzip for pages, styles, scripts and SVG. Public pages hold no secret, so compressing them over HTTPS
/// gives BREACH nothing to find.
/// </summary>
public static class Compression
{
    /// <summary>Separates the tag of the plain body from the coding it was sent in, inside the quotes.</summary>
    public const char CodingSeparator = '-';

    public static IServiceCollection AddWebCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Append("image/svg+xml");
        });
        // Pages are compressed on every miss of the CDN only, so a good ratio is worth more than a few milliseconds.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        return services;
    }

    /// <summary>
    /// Compression, and a strong ETag per representation: a compressed body is other bytes than the plain one, so it
    /// gets the plain tag with its coding appended (<c>"tag-br"</c>). <see cref="PublicPageCachingMiddleware"/> accepts
    /// either form in <c>If-None-Match</c>.
    /// </summary>
    public static IApplicationBuilder UseWebCompression(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var coding = headers.ContentEncoding.ToString();
                var etag = headers.ETag.ToString();
                if (coding.Length > 0 && etag.Length > 2 && etag[0] == '"' && etag[^1] == '"')
                {
                    headers.ETag = etag[..^1] + CodingSeparator + coding + "\"";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app.UseResponseCompression();
    }

    /// <summary>The tag of the plain body, when <paramref name="tag"/> is that tag with a coding appended.</summary>
    internal static bool IsCodedFormOf(string tag, string plain) =>
        tag.Length > plain.Length
        && tag.StartsWith(plain[..^1] + CodingSeparator, StringComparison.Ordinal)
        && tag[^1] == '"'
        && tag[plain.Length..^1] is "br" or "gzip";
}
