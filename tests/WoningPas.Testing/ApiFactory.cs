using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WoningPas.Api;
using WoningPas.Api.Account;
using WoningPas.DevHost;
using WoningPas.IdentityProvider;
using Xunit;

namespace WoningPas.Testing;

/// <summary>
/// The on-premise Api in memory against its own PostgreSQL database, in Production as it is deployed, on
/// https://localhost: people sign in through the identity stand-in's real OpenID Connect flow. Time is a fake clock
/// set to a fixed day, so that validity rules give the same answers every year.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<ApiProgram>, IAsyncLifetime
{
    private TestDatabase? _database;
    private RegistrySimulators? _simulators;
    private StandInIdentityProvider? _identity;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, string> _sessionCookies = [];

    public ApiFactory()
    {
        ClientOptions.BaseAddress = Origin;
    }

    /// <summary>Where the tests reach the Api: HTTPS, as the __Host- cookies require.</summary>
    public static Uri Origin { get; } = new("https://localhost/");

    /// <summary>The allow-listed machine client of a notary's office, registered at the stand-in.</summary>
    public static Guid NotaryClientId { get; } = Guid.Parse("c0ffee00-0000-4000-8000-000000000001");

    public const string NotaryClientOrganisation = "notariskantoor-test";

    public string EnvironmentName { get; init; } = "Production";

    /// <summary>Users the stand-in knows besides the demo personas.</summary>
    public IReadOnlyList<StandInUser> ExtraUsers { get; init; } = [];

    /// <summary>The identity stand-in: citizens' and staff issuers on loopback ports.</summary>
    public StandInIdentityProvider Identity => _identity
        ?? throw new InvalidOperationException("The identity stand-in is started in InitializeAsync.");

    /// <summary>Configuration a test adds or overrides, as "Section:Key" = value.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public static DateTimeOffset Today { get; } = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Today);

    /// <summary>Extra service replacements a test needs, applied after the Api's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Npgsql settings appended to the connection string ("Timeout=60"), for tests that load the pool hard.</summary>
    public string? ConnectionOptions { get; init; }

    /// <summary>Another factory whose database this one uses instead of its own: a second replica of the same Api.</summary>
    public ApiFactory? SharesDatabaseOf { get; init; }

    /// <summary>The database as its owner: for test set-up and inspection.</summary>
    public string ConnectionString => SharesDatabaseOf?.ConnectionString ?? _database?.ConnectionString
        ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    /// <summary>The database as the application's restricted role, which the Api itself uses.</summary>
    public string AppConnectionString => SharesDatabaseOf?.AppConnectionString ?? _database?.AppConnectionString
        ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    /// <summary>Simulator settings to override, as "Simulators:Registries:{name}:{Setting}" = value.</summary>
    public IReadOnlyDictionary<string, string?>? SimulatorSettings { get; init; }

    /// <summary>This factory's own registry simulators, on a loopback port: real HTTP from the Api's clients.</summary>
    public RegistrySimulators Simulators => _simulators
        ?? throw new InvalidOperationException("The simulators are started in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        _database = SharesDatabaseOf is null ? await TestDatabases.CreateAsync() : null;
        _simulators = await RegistrySimulators.StartAsync(RepositoryRoot.Find(), SimulatorSettings, CancellationToken.None);
        _identity = await StandInIdentityProvider.StartAsync(
            new StandInOptions([.. DemoIdentities.Users, .. ExtraUsers], [Origin])
            {
                SignInByLoginHint = true,
                MachineClients = [new MachineClient(NotaryClientId, MachineClientSecret, NotaryClientOrganisation,
                    IssuerProfile.MachineScopes)],
            },
            CancellationToken.None);
    }

    /// <summary>The notary client's secret at the stand-in (one per test process).</summary>
    public static string MachineClientSecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>
    /// A client that keeps cookies and does not follow redirects, signed in as <paramref name="persona"/> through the
    /// real code flow: the Api sends the browser to the stand-in with login_hint, the stand-in answers with a code, the
    /// Api redeems it over HTTP and issues its session.
    /// </summary>
    public async Task<HttpClient> SignedInClientAsync(string persona)
    {
        var client = AnonymousClient();
        var landing = await SignInAsync(client, persona);
        if (!landing.StartsWith("/account/signed-in", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Signing in as {persona} ended at {landing}.");
        }

        return client;
    }

    /// <summary>Runs the sign-in flow for <paramref name="userName"/> on <paramref name="client"/>; returns where the Api sent it last.</summary>
    public async Task<string> SignInAsync(HttpClient client, string userName, string returnUrl = "/woningpas")
    {
        ArgumentNullException.ThrowIfNull(client);
        var user = Identity.User(userName) ?? throw new ArgumentException($"The stand-in has no user {userName}.", nameof(userName));
        var provider = user.Issuer == IssuerKind.Staff ? "staff" : "citizen";
        using var login = await client.GetAsync(new Uri(
            $"/account/login?provider={provider}&login_hint={Uri.EscapeDataString(userName)}&returnUrl={Uri.EscapeDataString(returnUrl)}",
            UriKind.Relative));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler, disposeHandler: false);
        using var authorize = await browser.GetAsync(await RedirectAsync(login));
        using var callback = await client.GetAsync(await RedirectAsync(authorize));
        if (callback.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.FirstOrDefault(c => c.Contains("woningpas-session=", StringComparison.Ordinal)) is { } session)
        {
            _sessionCookies.AddOrUpdate(client, session[..session.IndexOf(';', StringComparison.Ordinal)]);
        }

        return callback.Headers.Location?.OriginalString ?? $"({(int)callback.StatusCode})";
    }

    /// <summary>The session cookie ("name=value") the sign-in gave <paramref name="client"/>, to replay it elsewhere.</summary>
    public string SessionCookieOf(HttpClient client) =>
        _sessionCookies.TryGetValue(client, out var cookie) ? cookie : throw new InvalidOperationException("That client did not sign in.");

    private static async Task<Uri> RedirectAsync(HttpResponseMessage response) =>
        (int)response.StatusCode is 302 or 303 && response.Headers.Location is { } location
            ? location
            : throw new InvalidOperationException($"Expected a redirect, got {(int)response.StatusCode} from "
                + $"{response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path)}: {await response.Content.ReadAsStringAsync()}");

    /// <summary>
    /// A session cookie ("name=value") for a citizen persona, made with the host's own cookie protection: for the
    /// few tests that talk to real Kestrel, where the browser flow's redirect URIs do not point.
    /// </summary>
    public async Task<string> SessionCookieForAsync(string persona)
    {
        var match = Data.Demo.DemoData.Personas.Single(p => p.Name == persona);
        var identity = WoningPasClaims.CreateIdentity(CookieAuthenticationDefaults.AuthenticationScheme, match.SubjectId,
            match.DisplayName, match.Role, match.Organisation, match.Email);
        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        // As the cookie handler does with a session store: the session lives on the server, the cookie holds its key.
        var key = await options.SessionStore!.StoreAsync(new AuthenticationTicket(
            new System.Security.Claims.ClaimsPrincipal(identity), CookieAuthenticationDefaults.AuthenticationScheme));
        var keyOnly = new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("Microsoft.AspNetCore.Authentication.Cookies-SessionId", key)], options.ClaimsIssuer);
        var ticket = new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(keyOnly), CookieAuthenticationDefaults.AuthenticationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>A client that calls as an allow-listed machine client with a token for <paramref name="scopes"/>.</summary>
    public HttpClient MachineClient(Guid clientId, params string[] scopes)
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            MintMachineToken(clientId, scopes, DateTimeOffset.UtcNow.AddMinutes(10)));
        return client;
    }

    /// <summary>
    /// A client-credentials token as the stand-in would issue it, signed with its current key; the parameters make
    /// the flawed variants the refusal tests need.
    /// </summary>
    public string MintMachineToken(Guid clientId, IReadOnlyCollection<string> scopes, DateTimeOffset expires,
        string audience = "api://woningpas", string? issuer = null, SigningCredentials? signingCredentials = null,
        string? organisation = NotaryClientOrganisation)
    {
        // The token handler checks the lifetime against the real clock, not the host's fake one.
        var issued = expires.UtcDateTime.AddMinutes(-15);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = clientId.ToString("D"),
            ["scope"] = string.Join(' ', scopes),
        };
        if (organisation is not null)
        {
            claims["org"] = organisation;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Identity.Citizen.Issuer.ToString(),
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = signingCredentials ?? Identity.KeysOf(IssuerKind.Citizen).Current,
        });
    }

    /// <summary>
    /// Starts the host expecting it to refuse, and returns the options validation failure it refused with.
    /// WebApplicationFactory's deferred host can lose a race on a failed start: the failed host is disposed before the
    /// factory asks it for its lifetime, and an ObjectDisposedException surfaces instead of the cause. A start that
    /// fails that way is tried again; a host that starts fails the test.
    /// </summary>
    public OptionsValidationException StartFailure()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                CreateClient().Dispose();
                throw new InvalidOperationException("The host started although its settings are invalid.");
            }
            catch (OptionsValidationException failure)
            {
                return failure;
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
            }
        }
    }

    public HttpClient AnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = Origin });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:WoningPas",
            string.IsNullOrEmpty(ConnectionOptions) ? AppConnectionString : AppConnectionString + ";" + ConnectionOptions);
        // Tests fire many requests in a burst from one address; the limits get their own tests.
        builder.UseSetting("RateLimits:PerUserPerMinute", "1000000");
        builder.UseSetting("RateLimits:PerAddressPerMinute", "10000000");
        foreach (var (key, value) in Simulators.ApiSettings)
        {
            builder.UseSetting(key, value);
        }
        foreach (var (key, value) in Identity.ApiSettings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in TestKeys.Configuration.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            // The sign-in's correlation cookies expire by the browser's clock, which is the real one.
            foreach (var scheme in (string[])[Authentication.CitizenScheme, Authentication.StaffScheme])
            {
                services.PostConfigure<OpenIdConnectOptions>(scheme, options => options.TimeProvider = TimeProvider.System);
            }

            TestServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_simulators is not null)
        {
            await _simulators.DisposeAsync();
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
