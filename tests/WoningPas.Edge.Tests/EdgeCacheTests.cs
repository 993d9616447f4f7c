using System.Net;
using System.Text.Json;

namespace WoningPas.Edge.Tests;

/// <summary>
/// The edge as the CDN: Web pages and assets cached as their Cache-Control says, personal paths passed through and
/// never stored, cookies only towards the Api.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeCacheTests(EdgeFixture fixture)
{
    [Theory]
    [InlineData("/en/faq")]
    [InlineData("/wat-staat-erin/renovatieplicht")]
    [InlineData("/css/site.css")]
    public async Task The_second_request_of_a_page_is_a_hit_and_reaches_the_web_once(string page)
    {
        var path = Unique(page);
        using var client = fixture.Client();

        using var first = await client.SendAsync(path);
        using var second = await client.SendAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", first.Header("X-Cache-Status"));
        Assert.Equal("HIT", second.Header("X-Cache-Status"));
        Assert.Equal(await first.TextAsync(), await second.TextAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Single(fixture.WebLog.For(path));
        Assert.Null(second.Header("Set-Cookie"));
    }

    [Fact]
    public async Task Each_accepted_coding_is_one_cached_copy_whatever_the_browser_writes()
    {
        var path = Unique("/en/privacy");
        using var client = fixture.Client();

        using var chrome = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd"));
        using var firefox = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br"));
        using var old = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip"));

        Assert.Equal("br", chrome.Header("Content-Encoding"));
        Assert.Equal("HIT", firefox.Header("X-Cache-Status"));
        Assert.Equal("br", firefox.Header("Content-Encoding"));
        Assert.Equal("MISS", old.Header("X-Cache-Status"));
        Assert.Equal("gzip", old.Header("Content-Encoding"));
        Assert.Equal(["br", "gzip"], fixture.WebLog.For(path).Select(r => r.AcceptEncoding));
    }

    [Fact]
    public async Task An_api_answer_is_never_stored_even_when_requested_twice()
    {
        using var client = fixture.Client();
        var path = Unique("/api/dwellings");

        using var first = await client.SendAsync(path);
        using var second = await client.SendAsync(path);
        var firstMarker = Marker(await first.TextAsync());
        var secondMarker = Marker(await second.TextAsync());

        Assert.Equal("BYPASS", first.Header("X-Cache-Status"));
        Assert.Equal("BYPASS", second.Header("X-Cache-Status"));
        Assert.Equal("private, no-store", second.Header("Cache-Control"));
        Assert.NotEqual(firstMarker, secondMarker);
        Assert.Equal(2, fixture.ApiLog.For(path).Count);
        Assert.False(CacheHolds(firstMarker) || CacheHolds(secondMarker), "an Api answer was written to the edge cache");
    }

    [Theory]
    [InlineData("/api/me/reminders")]
    [InlineData("/account/login")]
    [InlineData("/staff/dossiers")]
    [InlineData("/healthz/ready")]
    public async Task Cookies_travel_to_the_api_paths_and_its_set_cookie_comes_back(string page)
    {
        var path = Unique(page);
        using var client = fixture.Client();

        using var response = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation("Cookie", "woningpas-session=CfDJ8abc_-123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("woningpas-session=CfDJ8abc_-123", fixture.ApiLog.For(path).Single().Cookie);
        Assert.Equal("stub=1; Path=/; HttpOnly", response.Header("Set-Cookie"));
    }

    [Fact]
    public async Task A_cookie_to_a_web_page_gets_the_cached_page_and_never_reaches_the_web()
    {
        var cached = Unique("/veelgestelde-vragen");
        var uncached = Unique("/en/accessibility");
        using var client = fixture.Client();
        using var anonymous = await client.SendAsync(cached);

        using var withCookie = await client.SendAsync(cached, r => r.Headers.TryAddWithoutValidation("Cookie", "woningpas-session=CfDJ8secret"));
        using var missWithCookie = await client.SendAsync(uncached, r =>
        {
            r.Headers.TryAddWithoutValidation("Cookie", "woningpas-session=CfDJ8secret; lang=en");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOi");
        });

        Assert.Equal("HIT", withCookie.Header("X-Cache-Status"));
        Assert.Equal(await anonymous.TextAsync(), await withCookie.TextAsync());
        Assert.Equal("MISS", missWithCookie.Header("X-Cache-Status"));
        Assert.Equal(HttpStatusCode.OK, missWithCookie.StatusCode);
        Assert.Null(fixture.WebLog.For(uncached).Single().Cookie);
        Assert.Single(fixture.WebLog.For(cached));
        Assert.Null(missWithCookie.Header("Set-Cookie"));
    }

    [Fact]
    public async Task A_page_is_served_with_the_webs_public_policy_and_a_404_is_cached_briefly()
    {
        var missing = Unique("/en/no-such-page");
        using var client = fixture.Client();

        using var page = await client.SendAsync(Unique("/"));
        using var first = await client.SendAsync(missing);
        using var second = await client.SendAsync(missing);

        Assert.Equal("public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400", page.Header("Cache-Control"));
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("HIT", second.Header("X-Cache-Status"));
        Assert.Contains("Page not found", await second.TextAsync(), StringComparison.Ordinal);
        Assert.Single(fixture.WebLog.For(missing));
    }

    [Fact]
    public async Task Only_get_and_head_reach_the_web()
    {
        using var client = fixture.Client();
        var path = Unique("/woningpas");

        using var response = await client.SendAsync(path, r => r.Content = new StringContent("a=b"), HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(fixture.WebLog.For(path));
    }

    private static string Unique(string path) => $"{path}?t={Guid.NewGuid():N}";

    private static string Marker(string json) => JsonDocument.Parse(json).RootElement.GetProperty("marker").GetString()!;

    private bool CacheHolds(string text) =>
        Directory.EnumerateFiles(Path.Combine(fixture.Edge.RunDirectory, "cache"), "*", SearchOption.AllDirectories)
            .Any(file => File.ReadAllText(file).Contains(text, StringComparison.Ordinal));
}
