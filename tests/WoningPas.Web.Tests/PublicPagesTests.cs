using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using WoningPas.Web.Caching;
using WoningPas.Web.Localization;

namespace WoningPas.Web.Tests;

/// <summary>
/// Every public page in both languages: language by path only, one URL one page, cacheable by the CDN, never a cookie.
/// </summary>
public sealed partial class PublicPagesTests(WebFactory web) : IClassFixture<WebFactory>
{
    private const string PagePolicy = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400";

    public static TheoryData<string> Paths() => new(SitePages.AllPaths());

    [Fact]
    public void The_site_has_every_page_of_the_issue_in_both_languages()
    {
        var paths = SitePages.AllPaths().ToList();

        // home, passport, guide + 9 sections, FAQ, privacy, accessibility, share landing, sign-in help; twice.
        Assert.Equal(2 * (8 + 9), paths.Count);
        Assert.Equal(paths.Count, paths.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(paths.Count / 2, paths.Count(p => SiteLanguages.OfPath(p) == SiteLanguage.English));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_page_is_public_with_a_strong_etag_no_cookie_and_the_language_of_its_path(string path)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PagePolicy, response.Raw("Cache-Control"));
        Assert.Equal("Accept-Encoding", response.Raw("Vary"));
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.False(response.Has("Set-Cookie"));
        var english = SiteLanguages.OfPath(path) == SiteLanguage.English;
        Assert.Contains(english ? "<html lang=\"en\">" : "<html lang=\"nl-BE\">", html, StringComparison.Ordinal);
        Assert.Single(H1().Matches(html));
        Assert.Contains(english ? "Skip to content" : "Naar de inhoud", html, StringComparison.Ordinal);
        // Letters and punctuation as text; Razor still escapes the characters that matter in HTML (quote, plus).
        Assert.DoesNotMatch("&#x(?!27;|2B;)", html);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_page_links_its_translation_and_the_translation_links_back(string path)
    {
        var alternate = await AlternateAsync(path);
        Assert.NotEqual(SiteLanguages.OfPath(path), SiteLanguages.OfPath(alternate));

        Assert.Equal(path, await AlternateAsync(alternate));
    }

    [Theory]
    [InlineData("/", "Accept-Language", "en-GB,en;q=0.9")]
    [InlineData("/woningpas", "Accept-Language", "fr-BE")]
    [InlineData("/en/faq", "Accept-Language", "nl-BE")]
    [InlineData("/veelgestelde-vragen", "Cookie", "lang=en; .AspNetCore.Culture=c=en|uic=en")]
    public async Task Neither_accept_language_nor_a_cookie_changes_the_page(string path, string header, string value)
    {
        using var plain = await web.GetAsync(path);
        using var asked = await web.GetAsync(path, h => h.TryAddWithoutValidation(header, value));

        Assert.Equal(plain.Headers.ETag?.Tag, asked.Headers.ETag?.Tag);
        Assert.Equal("Accept-Encoding", asked.Raw("Vary"));
        Assert.Null(asked.Raw("Content-Language"));
    }

    [Theory]
    [InlineData("/en/does-not-exist", "Page not found", "en")]
    [InlineData("/en/what-it-contains/renovatieplicht", "Page not found", "en")]
    [InlineData("/wat-staat-erin/renovation-obligation", "Pagina niet gevonden", "nl-BE")]
    [InlineData("/bestaat-niet", "Pagina niet gevonden", "nl-BE")]
    public async Task An_unknown_page_is_a_cacheable_404_in_the_language_of_its_path(string path, string heading, string lang)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("public, max-age=60, s-maxage=300", response.Raw("Cache-Control"));
        Assert.Contains($"<h1>{heading}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.False(response.Has("Set-Cookie"));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task A_compressed_page_carries_the_plain_tag_with_its_coding_and_revalidates(string coding)
    {
        using var plain = await web.GetAsync("/en/faq");
        var plainBody = await plain.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var plainTag = plain.Headers.ETag!.Tag;

        using var compressed = await web.GetAsync("/en/faq", h => h.TryAddWithoutValidation("Accept-Encoding", coding));
        var bytes = await compressed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(coding, compressed.Raw("Content-Encoding"));
        Assert.Equal(plainTag[..^1] + "-" + coding + "\"", compressed.Headers.ETag?.Tag);
        Assert.False(compressed.Headers.ETag!.IsWeak);
        Assert.True(bytes.Length < plainBody.Length / 2, $"{bytes.Length} bytes compressed of {plainBody.Length}");
        Assert.Equal(plainBody, Decompress(bytes, coding));
        Assert.Equal(PagePolicy, compressed.Raw("Cache-Control"));
        Assert.Equal("Accept-Encoding", compressed.Raw("Vary"));

        using var revalidated = await web.GetAsync("/en/faq", h =>
        {
            h.TryAddWithoutValidation("Accept-Encoding", coding);
            h.TryAddWithoutValidation("If-None-Match", compressed.Headers.ETag.Tag);
        });
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(compressed.Headers.ETag.Tag, revalidated.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Styles_and_scripts_are_compressed_too()
    {
        using var css = await web.GetAsync("/css/site.css", h => h.TryAddWithoutValidation("Accept-Encoding", "br, gzip"));
        using var js = await web.GetAsync("/js/passport.js", h => h.TryAddWithoutValidation("Accept-Encoding", "gzip"));

        Assert.Equal("br", css.Raw("Content-Encoding"));
        Assert.Equal("gzip", js.Raw("Content-Encoding"));
        Assert.False(css.Has("Set-Cookie"));
    }

    [Fact]
    public void A_coded_tag_matches_only_its_plain_tag_and_known_codings()
    {
        Assert.True(PublicPageCachingMiddleware.IfNoneMatch("\"abc-br\"", "\"abc\""));
        Assert.True(PublicPageCachingMiddleware.IfNoneMatch("\"abc-gzip\"", "\"abc\""));
        Assert.False(PublicPageCachingMiddleware.IfNoneMatch("\"abc-zstd\"", "\"abc\""));
        Assert.False(PublicPageCachingMiddleware.IfNoneMatch("\"abd-br\"", "\"abc\""));
        Assert.False(PublicPageCachingMiddleware.IfNoneMatch("\"ab-br\"", "\"abc\""));
    }

    [Fact]
    public async Task The_passport_page_links_a_print_stylesheet()
    {
        using var response = await web.GetAsync("/en/passport");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Matches(@"<link rel=""stylesheet"" href=""/css/print\.css\?v=[A-Za-z0-9_-]{20,}"" media=""print"">", html);
        using var print = await web.GetAsync("/css/print.css");
        Assert.Equal(HttpStatusCode.OK, print.StatusCode);
        Assert.Contains("@media", "@media " + await print.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wat-staat-erin/renovatieplicht", "1 januari 2023", "label D")]
    [InlineData("/en/what-it-contains/renovation-obligation", "1 January 2023", "label D")]
    [InlineData("/wat-staat-erin/epc", "10 jaar", "E van 400 tot 500")]
    [InlineData("/en/what-it-contains/asbestos-certificate", "23 November 2022", "5 years")]
    public async Task A_section_page_explains_the_rules_of_the_domain(string path, string rule, string detail)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains(rule, html, StringComparison.Ordinal);
        Assert.Contains(detail, html, StringComparison.Ordinal);
    }

    private async Task<string> AlternateAsync(string path)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var match = Alternate().Match(html);
        Assert.True(match.Success, $"{path} has no alternate link");
        return match.Groups[1].Value;
    }

    private static byte[] Decompress(byte[] bytes, string coding)
    {
        using var input = new MemoryStream(bytes);
        using Stream decoder = coding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [GeneratedRegex("<h1[ >]")]
    private static partial Regex H1();

    [GeneratedRegex(@"<link rel=""alternate"" hreflang=""[a-zA-Z-]+"" href=""([^""]+)"">")]
    private static partial Regex Alternate();
}
