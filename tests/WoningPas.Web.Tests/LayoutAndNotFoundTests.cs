using System.Net;
using WoningPas.Web.Security;

namespace WoningPas.Web.Tests;

public sealed class LayoutAndNotFoundTests(WebFactory web) : IClassFixture<WebFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/woningpas")]
    [InlineData("/gedeeld")]
    public async Task Pages_are_dutch_with_a_skip_link_to_the_main_landmark(string path)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"nl-BE\">", html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"skip-link\" href=\"#inhoud\">Naar de inhoud</a>", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"inhoud\"", html, StringComparison.Ordinal);
        Assert.Contains("<footer", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<h1[ >]"));
    }

    [Fact]
    public async Task The_shell_holds_a_busy_region_and_a_polite_live_region_but_no_data()
    {
        using var response = await web.GetAsync("/woningpas");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("id=\"passport\" class=\"passport\" aria-busy=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-live=\"polite\"", html, StringComparison.Ordinal);
        Assert.Contains("Laden…", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-epc-label", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sign-in\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/bestaat-niet")]
    [InlineData("/woningpas/iets")]
    [InlineData("/css/bestaat-niet.css")]
    [InlineData("/fout/200")]
    public async Task An_unknown_path_answers_404_with_the_not_found_page_in_the_layout(string path)
    {
        using var response = await web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("text/html", response.Raw("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("<h1>Pagina niet gevonden</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Naar de inhoud", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"inhoud\"", html, StringComparison.Ordinal);
        Assert.Equal("public, max-age=60, s-maxage=300", response.Raw("Cache-Control"));
        Assert.Equal("Accept-Encoding", response.Raw("Vary"));
        Assert.Null(response.Headers.ETag);
        Assert.False(response.Has("Set-Cookie"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Raw("Content-Security-Policy"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/woningpas")]
    [InlineData("/gedeeld")]
    [InlineData("/css/site.css")]
    [InlineData("/bestaat-niet")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var response = await web.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Raw("Content-Security-Policy"));
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            response.Raw("Content-Security-Policy"));
        Assert.Equal("nosniff", response.Raw("X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", response.Raw("Referrer-Policy"));
        Assert.Equal("camera=(), microphone=(), geolocation=()", response.Raw("Permissions-Policy"));
    }

    [Fact]
    public async Task A_plain_correlation_id_is_echoed_and_anything_else_replaced()
    {
        using var plain = await web.GetAsync("/", h => h.TryAddWithoutValidation("X-Correlation-Id", "abc-123"));
        using var odd = await web.GetAsync("/", h => h.TryAddWithoutValidation("X-Correlation-Id", "90073000296 <script>"));
        using var none = await web.GetAsync("/");

        Assert.Equal("abc-123", plain.Raw("X-Correlation-Id"));
        Assert.Matches("^[0-9a-f]{32}$", odd.Raw("X-Correlation-Id") ?? "");
        Assert.Matches("^[0-9a-f]{32}$", none.Raw("X-Correlation-Id") ?? "");
        Assert.Equal(plain.Headers.ETag?.Tag, none.Headers.ETag?.Tag);
    }
}
