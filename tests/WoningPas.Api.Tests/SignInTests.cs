using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WoningPas.Data;
using WoningPas.IdentityProvider;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The one way in: OpenID Connect at the stand-in's issuers, as deployed (Production, HTTPS). Refusals create nothing.
/// </summary>
public sealed partial class SignInTests : IAsyncLifetime
{
    private static readonly Guid LowAssuranceId = Guid.Parse("a9000000-0000-4000-8000-000000000001");

    private readonly ApiFactory _api = new()
    {
        ExtraUsers =
        [
            new StandInUser("citizen-password", LowAssuranceId, IssuerKind.Citizen, "Laag", "Niveau")
            {
                NationalRegisterNumber = "94010100238", Acr = AcmAuthenticationMeans.CsamPassword,
            },
            new StandInUser("citizen-no-rrn", Guid.NewGuid(), IssuerKind.Citizen, "Zonder", "Nummer"),
            new StandInUser("staff-no-mfa", Guid.NewGuid(), IssuerKind.Staff, "Zonder", "Mfa") { Roles = ["energy.editor"], Mfa = false },
            new StandInUser("staff-no-role", Guid.NewGuid(), IssuerKind.Staff, "Zonder", "Rol") { Roles = ["sales.manager"] },
        ],
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _api.InitializeAsync();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task Login_sends_the_browser_to_the_citizen_issuer_with_pkce_s256()
    {
        using var client = _api.AnonymousClient();

        var login = await client.GetAsync(new Uri("/account/login?returnUrl=/woningpas", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var location = login.Headers.Location!;
        Assert.Equal(_api.Identity.Citizen.AuthorizationEndpoint.AbsoluteUri, location.GetLeftPart(UriPartial.Path));
        Assert.Contains("code_challenge_method=S256", location.Query, StringComparison.Ordinal);
        Assert.Contains("response_type=code", location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_citizen_signs_in_through_the_providers_form_and_reads_their_dwellings()
    {
        using var client = _api.AnonymousClient();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler, disposeHandler: false);

        var login = await client.GetAsync(new Uri("/account/login?returnUrl=/woningpas", UriKind.Relative), Cancel);
        var toForm = await browser.GetAsync(login.Headers.Location, Cancel);
        var formUrl = new Uri(_api.Identity.Citizen.Origin, toForm.Headers.Location!);
        var form = await browser.GetStringAsync(formUrl, Cancel);
        using var fields = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(form, "__RequestVerificationToken"),
            ["returnUrl"] = WebUtility.HtmlDecode(Field(form, "returnUrl")),
            ["username"] = "citizen-a",
            ["password"] = _api.Identity.Password,
        });
        var posted = await browser.PostAsync(formUrl, fields, Cancel);
        var authorize = await browser.GetAsync(new Uri(_api.Identity.Citizen.Origin, posted.Headers.Location!), Cancel);
        var callback = await client.GetAsync(authorize.Headers.Location, Cancel);
        var dwellings = await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);

        Assert.StartsWith("/account/signed-in", callback.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dwellings.StatusCode);
        Assert.Contains("Kerkstraat 12", await dwellings.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_on_the_form_is_refused()
    {
        using var browser = new HttpClient();
        var formUrl = _api.Identity.Citizen.LoginPage;
        var form = await browser.GetStringAsync(formUrl, Cancel);
        using var fields = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(form, "__RequestVerificationToken"),
            ["username"] = "citizen-a",
            ["password"] = "not-the-password",
        });

        var posted = await browser.PostAsync(formUrl, fields, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, posted.StatusCode);
    }

    [Theory]
    [InlineData("citizen-password", "niet veilig genoeg")]
    [InlineData("citizen-no-rrn", "rijksregisternummer")]
    [InlineData("staff-no-mfa", "meervoudige authenticatie")]
    [InlineData("staff-no-role", "geen rol")]
    public async Task A_sign_in_the_api_refuses_ends_on_a_page_that_says_why_and_creates_nothing(string user, string reason)
    {
        var people = await PeopleAsync();
        using var client = _api.AnonymousClient();

        var provider = _api.Identity.User(user)!.Issuer == IssuerKind.Staff ? "staff" : "citizen";
        var login = await client.GetAsync(new Uri($"/account/login?provider={provider}&login_hint={user}", UriKind.Relative), Cancel);
        using var noRedirects = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(noRedirects, disposeHandler: false);
        var authorize = await browser.GetAsync(login.Headers.Location, Cancel);
        var callback = await client.GetAsync(authorize.Headers.Location, Cancel);
        var after = await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Contains(reason, await callback.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.False(callback.Headers.Contains("Set-Cookie") && callback.Headers.GetValues("Set-Cookie")
            .Any(c => c.StartsWith("__Host-woningpas-session=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(people, await PeopleAsync());
    }

    [Fact]
    public async Task Sign_out_ends_the_session_here_and_at_the_provider()
    {
        using var client = await _api.SignedInClientAsync("citizen-a");
        client.DefaultRequestHeaders.Add("X-WoningPas-Csrf", "1");

        var signOut = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), null, Cancel);
        var endSession = (await signOut.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("endSessionUrl").GetString()!;
        var afterwards = await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);
        using var noRedirects = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(noRedirects, disposeHandler: false);
        var atProvider = await browser.GetAsync(new Uri(endSession), Cancel);

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.StartsWith(_api.Identity.Citizen.EndSessionEndpoint.AbsoluteUri, endSession, StringComparison.Ordinal);
        Assert.Contains("id_token_hint=", endSession, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, atProvider.StatusCode);
        Assert.StartsWith("https://localhost/account/signed-out-citizen", atProvider.Headers.Location?.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task The_landing_page_never_continues_off_site(string returnUrl)
    {
        using var client = _api.AnonymousClient();

        var landing = await client.GetStringAsync(
            new Uri($"/account/signed-in?returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative), Cancel);

        Assert.Contains("url=/woningpas\"", landing, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", landing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_provider_rotates_its_keys_sign_in_still_works()
    {
        using var before = await _api.SignedInClientAsync("citizen-a");
        var previous = _api.Identity.KeysOf(IssuerKind.Citizen).CurrentKeyId;

        var current = _api.Identity.KeysOf(IssuerKind.Citizen).Rotate();
        using var after = await _api.SignedInClientAsync("citizen-b");

        Assert.NotEqual(previous, current);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel)).StatusCode);
    }

    private async Task<int> PeopleAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(_api.ConnectionString));
        return await db.People.CountAsync(Cancel);
    }

    private static string Field(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"The form has no field {name}.");
}
