using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using WoningPas.Web.Caching;
using WoningPas.Web.Security;

namespace WoningPas.Web.Tests;

/// <summary>
/// DESIGN "Two sides, one rule": every Web page is the same for every visitor, so the CDN may cache it publicly,
/// validate it with a strong ETag and never vary it on a cookie.
/// </summary>
public sealed class PublicPageCachingTests(WebFactory web) : IClassFixture<WebFactory>
{
    private const string PagePolicy = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400";

    [Theory]
    [InlineData("/")]
    [InlineData("/woningpas")]
    [InlineData("/gedeeld")]
    public async Task A_page_is_public_with_a_strong_etag_of_its_body_and_varies_on_encoding_only(string path)
    {
        using var response = await web.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Raw("Content-Type"));
        Assert.Equal(PagePolicy, response.Raw("Cache-Control"));
        Assert.Equal("Accept-Encoding", response.Raw("Vary"));
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.DoesNotContain("W/", response.Raw("ETag"), StringComparison.Ordinal);
        Assert.Equal("\"" + Base64Url.EncodeToString(SHA256.HashData(body)) + "\"", etag.Tag);
        Assert.False(response.Has("Set-Cookie"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Raw("Content-Security-Policy"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/woningpas")]
    [InlineData("/gedeeld")]
    public async Task The_same_page_gets_the_same_etag_and_a_matching_if_none_match_gets_304_without_a_body(string path)
    {
        using var first = await web.GetAsync(path);
        using var second = await web.GetAsync(path);
        var etag = first.Headers.ETag!.Tag;
        Assert.Equal(etag, second.Headers.ETag?.Tag);

        using var revalidated = await web.GetAsync(path, h => h.TryAddWithoutValidation("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(etag, revalidated.Headers.ETag?.Tag);
        Assert.Equal(PagePolicy, revalidated.Raw("Cache-Control"));
        Assert.Equal("Accept-Encoding", revalidated.Raw("Vary"));
        Assert.False(revalidated.Has("Set-Cookie"));
    }

    [Fact]
    public async Task A_stale_etag_gets_the_full_page()
    {
        using var current = await web.GetAsync("/");
        using var response = await web.GetAsync("/", h => h.TryAddWithoutValidation("If-None-Match", "\"an-older-version\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(current.Headers.ETag?.Tag, response.Headers.ETag?.Tag);
        Assert.Equal(await current.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("\"an-older-version\", {0}")]
    [InlineData("W/{0}")]
    public async Task If_none_match_accepts_a_star_a_list_and_the_weak_form_of_the_tag(string header)
    {
        using var current = await web.GetAsync("/woningpas");
        var value = header.Replace("{0}", current.Headers.ETag!.Tag, StringComparison.Ordinal);

        using var response = await web.GetAsync("/woningpas", h => h.TryAddWithoutValidation("If-None-Match", value));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_visitor_sending_cookies_gets_the_same_page_and_no_cookie_back()
    {
        using var anonymous = await web.GetAsync("/woningpas");
        using var withCookies = await web.GetAsync("/woningpas",
            h => h.TryAddWithoutValidation("Cookie", ".AspNetCore.Cookies=abc; .AspNetCore.Antiforgery.x=def"));

        Assert.Equal(HttpStatusCode.OK, withCookies.StatusCode);
        Assert.False(withCookies.Has("Set-Cookie"));
        Assert.Equal(anonymous.Headers.ETag?.Tag, withCookies.Headers.ETag?.Tag);
        Assert.Equal("Accept-Encoding", withCookies.Raw("Vary"));
    }

    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        using var get = await web.GetAsync("/woningpas");
        using var head = await web.GetAsync("/woningpas", method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag?.Tag, head.Headers.ETag?.Tag);
        Assert.Equal(PagePolicy, head.Raw("Cache-Control"));
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("POST", "/woningpas")]
    [InlineData("POST", "/")]
    [InlineData("PUT", "/woningpas")]
    [InlineData("DELETE", "/")]
    public async Task Only_get_and_head_reach_a_page(string method, string path)
    {
        using var response = await web.GetAsync(path, method: new HttpMethod(method));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", response.Raw("Allow"));
        Assert.Equal("no-store", response.Raw("Cache-Control"));
        Assert.False(response.Has("Set-Cookie"));
    }

    [Fact]
    public async Task An_error_page_is_never_cached()
    {
        using var response = await web.GetAsync("/fout/500");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("no-store", response.Raw("Cache-Control"));
        Assert.Null(response.Headers.ETag);
        Assert.Contains("Er ging iets mis", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_etag_matcher_follows_the_weak_comparison_of_if_none_match()
    {
        const string Tag = "\"abc\"";
        Assert.True(PublicPageCachingMiddleware.IfNoneMatch("\"abc\"", Tag));
        Assert.True(PublicPageCachingMiddleware.IfNoneMatch("W/\"abc\"", Tag));
        Assert.True(PublicPageCachingMiddleware.IfNoneMatch("\"x\", \"abc\"", Tag));
        Assert.True(PublicPageCachingMiddleware.IfNoneMatch("*", Tag));
        Assert.False(PublicPageCachingMiddleware.IfNoneMatch("\"abd\"", Tag));
        Assert.False(PublicPageCachingMiddleware.IfNoneMatch("abc", Tag));
        Assert.False(PublicPageCachingMiddleware.IfNoneMatch(default, Tag));
    }
}
