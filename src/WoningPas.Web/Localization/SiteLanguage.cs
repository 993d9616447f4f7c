using Microsoft.AspNetCore.Diagnostics;

namespace WoningPas.Web.Localization;

/// <summary>
/// The language of a page comes from its path only: Dutch (nl-BE) by default, English under <c>/en</c>. Never from a
/// cookie or <c>Accept-Language</c>: one URL must be one page, the same for every visitor, or the CDN could not cache it.
/// </summary>
public enum SiteLanguage
{
    Dutch,
    English,
}

public static class SiteLanguages
{
    public const string EnglishPrefix = "/en";

    /// <summary>
    /// The language of the path the visitor asked for. An error page is re-executed under another path, so the
    /// original path decides there.
    /// </summary>
    public static SiteLanguage Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? context.Features.Get<IExceptionHandlerPathFeature>()?.Path
            ?? context.Request.Path.Value;
        return OfPath(path);
    }

    public static SiteLanguage OfPath(string? path) =>
        path is not null
        && path.StartsWith(EnglishPrefix, StringComparison.Ordinal)
        && (path.Length == EnglishPrefix.Length || path[EnglishPrefix.Length] == '/')
            ? SiteLanguage.English
            : SiteLanguage.Dutch;

    /// <summary>The value of the <c>lang</c> attribute.</summary>
    public static string Tag(this SiteLanguage language) => language == SiteLanguage.English ? "en" : "nl-BE";

    /// <summary>Picks the text of the language: short texts live next to each other in the code that uses them.</summary>
    public static string Pick(this SiteLanguage language, string dutch, string english) =>
        language == SiteLanguage.English ? english : dutch;
}
