using System.Net;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class AccountEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Dev_login_signs_in_and_returns_to_the_local_return_url()
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(new Uri("/account/dev-login?persona=citizen-a&returnUrl=/woningpas", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/woningpas", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Dev_login_never_redirects_off_site(string returnUrl)
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(
            new Uri($"/account/dev-login?persona=citizen-a&returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/woningpas", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Dev_login_with_an_unknown_persona_is_a_clear_400()
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(new Uri("/account/dev-login?persona=mallory", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("citizen-a", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Logout_needs_the_anti_forgery_header_and_then_ends_the_session()
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        var dwellings = new Uri("/api/dwellings", UriKind.Relative);
        var logout = new Uri("/account/logout", UriKind.Relative);

        var forged = await client.PostAsync(logout, null, TestContext.Current.CancellationToken);
        var stillSignedIn = await client.GetAsync(dwellings, TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, logout);
        request.Headers.Add("X-WoningPas-Csrf", "1");
        var loggedOut = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var afterwards = await client.GetAsync(dwellings, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task Login_page_in_development_offers_the_personas()
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(new Uri("/account/login?returnUrl=/woningpas", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("/account/dev-login?persona=citizen-a&amp;returnUrl=%2Fwoningpas", html, StringComparison.Ordinal);
        DwellingEndpointTests.AssertNoStore(response);
    }

    [Fact]
    public async Task Health_checks_answer_anonymously_and_ready_means_the_database_answers()
    {
        using var client = api.AnonymousClient();

        var live = await client.GetAsync(new Uri("/healthz/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unknown_path_is_denied_by_default()
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(new Uri("/api/nothing-here", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
