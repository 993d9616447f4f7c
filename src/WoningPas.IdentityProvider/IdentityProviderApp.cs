using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WoningPas.IdentityProvider;

/// <summary>What one issuer of the stand-in serves: its profile, its users, its relying parties.</summary>
public sealed record IssuerSettings(IssuerProfile Profile, IReadOnlyList<StandInUser> Users, string Password,
    WebClient WebClient, IReadOnlyList<MachineClient> MachineClients)
{
    /// <summary>
    /// Lets <c>login_hint</c> name a user who is then signed in without the form: the local run's persona shortcut
    /// and the tests. Never a property of a real provider.
    /// </summary>
    public bool SignInByLoginHint { get; init; }
}

/// <summary>
/// One OpenID Connect issuer on OpenIddict: discovery, JWKS (RS256, rotating), authorization code with PKCE (S256
/// required), refresh tokens, RP-initiated logout and client credentials. Its users sign in through a plain HTML form.
/// Applications live in an in-memory store: the stand-in forgets everything when it stops, as a test double should.
/// </summary>
public static class IdentityProviderApp
{
    /// <summary>The stand-in's own session with the person, as a real provider keeps one for single sign-on.</summary>
    internal const string SessionScheme = "standin-session";

    public static WebApplication Build(IssuerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var profile = settings.Profile;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(profile.Origin.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(settings);
        var signingKeys = new SigningKeys();
        builder.Services.AddSingleton(signingKeys);
        builder.Services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>>(signingKeys);
        builder.Services.AddAntiforgery();
        // One store per issuer for the host's lifetime: the name is fixed here, not per context.
        var storeName = "standin-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<StandInDbContext>(options => options.UseInMemoryDatabase(storeName).UseOpenIddict());
        builder.Services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, options =>
        {
            options.Cookie.Name = "standin-" + profile.Kind.ToString().ToLowerInvariant();
            options.Cookie.Path = "/";
            options.LoginPath = profile.LoginPage.AbsolutePath;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<StandInDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(profile.Issuer)
                    .SetConfigurationEndpointUris(profile.ConfigurationEndpoint)
                    .SetAuthorizationEndpointUris(profile.AuthorizationEndpoint)
                    .SetTokenEndpointUris(profile.TokenEndpoint)
                    .SetJsonWebKeySetEndpointUris(profile.KeysEndpoint)
                    .SetEndSessionEndpointUris(profile.EndSessionEndpoint);
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                server.RegisterScopes([.. profile.Scopes]);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.GivenName, Claims.FamilyName, Claims.Email,
                    Claims.EmailVerified, Claims.AuthenticationContextReference, "rrn", "oid", "tid", "roles", "amr");
                // Resource servers (the Api's bearer scheme) validate access tokens as plain signed JWTs, as they do
                // with the real providers' tokens.
                server.DisableAccessTokenEncryption();
                server.AddEphemeralEncryptionKey();
                signingKeys.Register(server);
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Loopback only, over plain HTTP, as every stand-in here; the real providers are HTTPS.
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSignInForm(profile);
        app.MapProtocolEndpoints(profile);
        app.MapKeyRotation(profile);
        return app;
    }

    /// <summary>Registers the relying parties; called once the host is built, before it serves.</summary>
    public static async Task RegisterClientsAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<IssuerSettings>();
        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var web = new OpenIddictApplicationDescriptor
        {
            ClientId = settings.WebClient.ClientId,
            ClientSecret = settings.WebClient.ClientSecret,
            ClientType = ClientTypes.Confidential,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var scopeName in settings.Profile.Scopes.Where(s => !IssuerProfile.MachineScopes.Contains(s)))
        {
            web.Permissions.Add(Permissions.Prefixes.Scope + scopeName);
        }

        web.RedirectUris.UnionWith(settings.WebClient.RedirectUris);
        web.PostLogoutRedirectUris.UnionWith(settings.WebClient.PostLogoutRedirectUris);
        await manager.CreateAsync(web, cancellationToken);

        foreach (var machine in settings.MachineClients)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = machine.ClientId.ToString("D"),
                ClientSecret = machine.ClientSecret,
                ClientType = ClientTypes.Confidential,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            foreach (var scopeName in machine.Scopes)
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + scopeName);
            }

            await manager.CreateAsync(descriptor, cancellationToken);
        }
    }
}

/// <summary>OpenIddict's applications, authorizations and tokens, in memory.</summary>
internal sealed class StandInDbContext(DbContextOptions<StandInDbContext> options) : DbContext(options);
