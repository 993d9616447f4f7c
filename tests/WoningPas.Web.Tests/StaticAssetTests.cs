using System.Net;
using System.Text.RegularExpressions;

namespace WoningPas.Web.Tests;

/// <summary>Static assets are fingerprinted and immutable for a year; only the current fingerprint earns that.</summary>
public sealed partial class StaticAssetTests(WebFactory web) : IClassFixture<WebFactory>
{
    private const string Immutable = "public, max-age=31536000, immutable";

    [Fact]
    public async Task The_shell_loads_fingerprinted_assets_and_has_no_inline_script_or_style()
    {
        var html = await ShellAsync();

        Assert.Matches(@"<link[^>]+href=""/css/site\.css\?v=[A-Za-z0-9_-]{20,}""", html);
        Assert.Matches(@"<script[^>]+type=""module""[^>]+src=""/js/passport\.js\?v=[A-Za-z0-9_-]{20,}""", html);
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.Contains(" src=\"", script.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(@"<script[^>]*>\s*[^<\s]", html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
    }

    [Fact]
    public async Task The_shell_carries_no_form_and_no_antiforgery_token()
    {
        var html = await ShellAsync();

        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("__RequestVerificationToken", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/css/site.css", "text/css")]
    [InlineData("/js/passport.js", "text/javascript")]
    public async Task A_fingerprinted_asset_is_immutable_for_a_year(string path, string contentType)
    {
        var url = Fingerprinted(await ShellAsync(), path);

        using var response = await web.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Immutable, response.Raw("Cache-Control"));
        Assert.StartsWith(contentType, response.Raw("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Raw("X-Content-Type-Options"));
        Assert.False(response.Has("Set-Cookie"));
    }

    [Theory]
    [InlineData("/css/site.css")]
    [InlineData("/css/site.css?v=")]
    [InlineData("/css/site.css?v=an-outdated-fingerprint")]
    [InlineData("/js/passport.js?v=a&v=b")]
    public async Task An_asset_without_its_current_fingerprint_is_cached_briefly(string url)
    {
        using var response = await web.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=60", response.Raw("Cache-Control"));
    }

    [Fact]
    public async Task The_passport_script_renders_data_as_text_only()
    {
        using var response = await web.GetAsync("/js/passport.js");
        var script = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }

        Assert.Contains("credentials: 'same-origin'", script, StringComparison.Ordinal);
        Assert.Contains("'data-testid': 'sign-in'", script, StringComparison.Ordinal);
        Assert.Contains("'data-epc-label'", script, StringComparison.Ordinal);
    }

    private async Task<string> ShellAsync()
    {
        using var response = await web.GetAsync("/woningpas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static string Fingerprinted(string html, string path)
    {
        var match = Regex.Match(html, Regex.Escape(path) + @"\?v=[A-Za-z0-9_-]+");
        Assert.True(match.Success, $"{path} is not referenced with a fingerprint.");
        return match.Value;
    }

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
