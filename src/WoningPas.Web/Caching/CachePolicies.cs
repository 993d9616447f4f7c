namespace WoningPas.Web.Caching;

/// <summary>The Cache-Control values of the Web. Every page is the same for every visitor, so the CDN may share it.</summary>
public static class CachePolicies
{
    /// <summary>
    /// A page: browsers keep it a minute, the CDN an hour, and the CDN may serve a stale copy while it revalidates and
    /// for a day while the origin fails.
    /// </summary>
    public const string Page = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400";

    /// <summary>The not-found page: cached too (it protects the origin from floods of bad paths), but briefly.</summary>
    public const string NotFound = "public, max-age=60, s-maxage=300";

    /// <summary>A permanent redirect from a retired path: the same for everyone, so the CDN and browsers keep it a day.</summary>
    public const string Redirect = "public, max-age=86400, s-maxage=86400";

    /// <summary>An error must not be cached: the CDN keeps serving its stale copy instead (stale-if-error).</summary>
    public const string NoStore = "no-store";

    /// <summary>A static asset whose URL carries the fingerprint of its content: a new content is a new URL.</summary>
    public const string Fingerprinted = "public, max-age=31536000, immutable";

    /// <summary>A static asset requested without (or with an outdated) fingerprint: it may change under this URL.</summary>
    public const string Unfingerprinted = "public, max-age=60";

    /// <summary>Pages are not negotiated on anything but the encoding the CDN may apply; never on cookies.</summary>
    public const string Vary = "Accept-Encoding";
}
