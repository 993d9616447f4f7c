using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace WoningPas.Web.Caching;

/// <summary>
/// How the CDN may cache what the Web serves: pages publicly with a strong ETag, static assets for a year when their
/// URL carries the fingerprint of their content.
/// </summary>
public static class PublicCaching
{
    /// <summary>The query parameter <c>asp-append-version="true"</c> adds: a hash of the file's content.</summary>
    public const string FingerprintParameter = "v";

    /// <summary>Pages: buffered, given a strong ETag and the public policy. Place after the static files.</summary>
    public static IApplicationBuilder UsePublicCaching(this IApplicationBuilder app) =>
        app.UseMiddleware<PublicPageCachingMiddleware>();

    /// <summary>
    /// Static files from wwwroot. A request whose <c>v=</c> is the fingerprint of the file served is immutable for a
    /// year; any other gets a short public cache. Checking the fingerprint, rather than only its presence, matters
    /// during a rolling deployment: a new page asking an old replica for <c>?v=new</c> must not get the old file
    /// cached for a year under the new URL.
    /// </summary>
    public static IApplicationBuilder UseFingerprintedStaticFiles(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var http = context.Context;
                http.Response.Headers.CacheControl = IsCurrentFingerprint(http)
                    ? CachePolicies.Fingerprinted
                    : CachePolicies.Unfingerprinted;
            },
        });

    private static bool IsCurrentFingerprint(HttpContext context)
    {
        var requested = context.Request.Query[FingerprintParameter];
        if (requested.Count != 1 || string.IsNullOrEmpty(requested[0]))
        {
            return false;
        }

        var request = context.Request;
        var versions = context.RequestServices.GetRequiredService<IFileVersionProvider>();
        var versioned = versions.AddFileVersionToPath(request.PathBase, (request.PathBase + request.Path).Value!);
        var marker = versioned.IndexOf("?" + FingerprintParameter + "=", StringComparison.Ordinal);
        return marker >= 0
            && string.Equals(versioned[(marker + FingerprintParameter.Length + 2)..], requested[0], StringComparison.Ordinal);
    }
}
