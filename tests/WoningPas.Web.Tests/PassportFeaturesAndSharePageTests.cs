using System.Net;
using System.Text.RegularExpressions;
using WoningPas.Web.Caching;

namespace WoningPas.Web.Tests;

/// <summary>
/// The passport's documents, reports, sharing and access-log features, and the one share page: all of it static and the
/// same for every visitor, so the CDN may keep it; the personal parts come from the Api at run time.
/// </summary>
public sealed partial class PassportFeaturesAndSharePageTests(WebFactory web) : IClassFixture<WebFactory>
{
    private const string PagePolicy = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400";

    private static readonly string[] Modules =
        ["passport-documents", "passport-reports", "passport-sharing", "passport-access-log"];

    public static TheoryData<string> FeatureModules() => new(Modules);

    [Theory]
    [InlineData("/woningpas", "Wie zag mijn gegevens?")]
    [InlineData("/en/passport", "Who saw my data?")]
    public async Task The_passport_shell_names_each_feature_module_by_its_fingerprint_and_holds_no_personal_data(
        string path, string heading)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PagePolicy, response.Raw("Cache-Control"));
        Assert.False(response.Has("Set-Cookie"));
        foreach (var module in Modules)
        {
            Assert.Matches($@"<link rel=""modulepreload"" href=""/js/{module}\.js\?v=[A-Za-z0-9_-]{{20,}}"" data-module=""[A-Za-z]+"">", html);
        }

        Assert.Contains($"<h2 id=\"access-log-title\">{heading}</h2>", html, StringComparison.Ordinal);
        Assert.Matches(@"<section id=""passport-access-log""[^>]* hidden>", html);
        // The demo citizen's name, INSZ, address and e-mail: the shell is the same for everyone, so none can be in it.
        foreach (var personal in new[] { "Peeters", "90073000296", "Kerkstraat", "nora.claes" })
        {
            Assert.DoesNotContain(personal, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(FeatureModules))]
    public async Task A_feature_module_is_immutable_under_its_fingerprint_and_renders_data_as_text_only(string module)
    {
        using var shell = await web.GetAsync("/woningpas");
        var html = await shell.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var url = Regex.Match(html, $@"/js/{module}\.js\?v=[A-Za-z0-9_-]+").Value;

        using var response = await web.GetAsync(url);
        var script = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CachePolicies.Fingerprinted, response.Raw("Cache-Control"));
        Assert.StartsWith("text/javascript", response.Raw("Content-Type"), StringComparison.Ordinal);
        Assert.False(response.Has("Set-Cookie"));
        Assert.Contains("export function create(ui)", script, StringComparison.Ordinal);
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "import " })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task State_changing_calls_carry_the_csrf_header_and_the_session_cookie_only_to_the_same_origin()
    {
        using var response = await web.GetAsync("/js/passport.js");
        var script = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("'X-WoningPas-Csrf': '1'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("credentials: 'include'", script, StringComparison.Ordinal);
        Assert.Contains("link[rel=\"modulepreload\"][data-module]", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/gedeeld", "nl-BE", "Gedeelde woningpas", "Wat u kunt zien", "/en/shared")]
    [InlineData("/en/shared", "en", "Shared home passport", "What you can see", "/gedeeld")]
    public async Task The_share_page_is_one_cacheable_viewer_with_its_explanation_in_each_language(string path, string lang,
        string title, string explanation, string translation)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PagePolicy, response.Raw("Cache-Control"));
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Has("Set-Cookie"));
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains(explanation, html, StringComparison.Ordinal);
        Assert.Contains("<div id=\"shared\" class=\"passport\" aria-busy=\"true\" data-state=\"loading\">", html, StringComparison.Ordinal);
        Assert.Matches(@"<script type=""module"" src=""/js/shared\.js\?v=[A-Za-z0-9_-]{20,}""></script>", html);
        Assert.Contains($"hreflang=\"{(lang == "en" ? "nl-BE" : "en")}\" href=\"{translation}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_share_script_keeps_the_token_out_of_urls_and_cookies()
    {
        using var response = await web.GetAsync("/js/shared.js");
        var script = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("credentials: 'omit'", script, StringComparison.Ordinal);
        Assert.Contains("'X-WoningPas-Share': token", script, StringComparison.Ordinal);
        Assert.Contains("window.location.hash", script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task The_retired_share_path_redirects_permanently_to_the_share_page(string method)
    {
        using var response = await web.GetAsync("/woningpas/gedeeld", method: new HttpMethod(method));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/gedeeld", response.Headers.Location?.OriginalString);
        Assert.Equal(CachePolicies.Redirect, response.Raw("Cache-Control"));
        Assert.Equal("Accept-Encoding", response.Raw("Vary"));
        Assert.False(response.Has("Set-Cookie"));
    }
}
