using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using WoningPas.Data;

namespace WoningPas.Api.Account;

/// <summary>
/// One session cookie for every kind of person, issued only after an OpenID Connect sign-in, in every environment:
/// citizens (and third parties, who are citizens too) at the Flemish government's provider, staff at the Entra ID
/// tenant through Microsoft.Identity.Web. Machine clients call with client-credentials tokens, link holders with a
/// share token. Everything is denied unless an endpoint says otherwise.
/// </summary>
public static class Authentication
{
    public const string CitizenPolicy = "citizen";

    /// <summary>Whoever may read some passport sections: citizens, link holders, agency editors and machine clients.</summary>
    public const string DwellingReaderPolicy = "dwelling-reader";

    public const string AuditorPolicy = "auditor";

    public const string LinkHolderPolicy = "link-holder";

    /// <summary>The OpenID Connect schemes, one per issuer.</summary>
    public const string CitizenScheme = "citizen";

    public const string StaffScheme = "staff";

    /// <summary>Picks the scheme per request: a bearer token, a share link, or else the session cookie.</summary>
    private const string SelectorScheme = "woningpas";

    public static WebApplicationBuilder AddWoningPasAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = SelectorScheme;
            // Challenges of cookie callers go through the cookie handler: an API call gets a 401, a page a redirect to
            // its issuer's sign-in. Bearer and share-link callers get their own scheme's 401.
            options.DefaultChallengeScheme = SelectorScheme;
        });
        authentication.AddPolicyScheme(SelectorScheme, null, options => options.ForwardDefaultSelector = SelectScheme);
        authentication.AddMachineClients(builder.Configuration);
        authentication.AddScheme<AuthenticationSchemeOptions, Sharing.ShareLinkHandler>(Sharing.ShareLinks.Scheme, null);
        authentication.AddCitizenSignIn(builder.Configuration);
        authentication.AddStaffSignIn(builder.Configuration);

        var isDevelopment = builder.Environment.IsDevelopment();
        services.AddOptions<Sessions.SessionSettings>().BindConfiguration(Sessions.SessionSettings.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Sessions.SessionStore>();
        services.AddHostedService<Sessions.SessionRevocationListener>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<Sessions.SessionStore>((options, store) =>
            {
                SessionCookie.Configure(options, isDevelopment);
                options.SessionStore = store;
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(CitizenPolicy, policy => policy.RequireClaim(WoningPasClaims.Role, Roles.Citizen))
            .AddPolicy(DwellingReaderPolicy, policy => policy.RequireClaim(WoningPasClaims.Role,
                Roles.Citizen, Roles.LinkHolder, Roles.Editor, Roles.MachineClient))
            .AddPolicy(AuditorPolicy, policy => policy.RequireClaim(WoningPasClaims.Role, Roles.Auditor))
            .AddPolicy(LinkHolderPolicy, policy => policy.RequireClaim(WoningPasClaims.Role, Roles.LinkHolder));
        services.AddScoped<Dwellings.DwellingAuthorizer>();
        return builder;
    }

    /// <summary>Which issuer a sign-in for this return path goes to: the back office is staff, the rest citizens.</summary>
    public static string SchemeFor(string returnUrl, string? provider) =>
        provider == StaffScheme || (provider is null && returnUrl.StartsWith("/staff", StringComparison.Ordinal))
            ? StaffScheme
            : CitizenScheme;

    private static string SelectScheme(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return MachineClients.Scheme;
        }

        return headers.ContainsKey(Sharing.ShareLinks.HeaderName)
            ? Sharing.ShareLinks.Scheme
            : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    /// <summary>Only a path on this origin may be a return URL: anything else would be an open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl, string fallback = "/woningpas") =>
        returnUrl is { Length: > 0 and <= 2048 }
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : fallback;

    /// <summary>
    /// The settings every OpenID Connect scheme shares: code flow with PKCE, the answer in the query (a top-level GET
    /// back, so the correlation cookies can be SameSite=Lax), tokens kept in the session for the end-session call, no
    /// mapping of claim names, and metadata over HTTPS except from a loopback stand-in.
    /// </summary>
    internal static void UseCodeFlow(OpenIdConnectOptions options, string authority, string callbackPath)
    {
        options.CallbackPath = callbackPath;
        // Microsoft.Identity.Web sets these to its own default callback; they must follow the one in use.
        options.CorrelationCookie.Path = callbackPath;
        options.NonceCookie.Path = callbackPath;
        options.ResponseType = Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectResponseType.Code;
        options.ResponseMode = Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.SaveTokens = true;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.RequireHttpsMetadata = !IdentityEndpoints.IsPlainLoopback(authority);
        options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.TokenValidationParameters.ValidAlgorithms = [Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256];
        options.TokenValidationParameters.RequireSignedTokens = true;
        options.TokenValidationParameters.RequireExpirationTime = true;
        options.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
        options.Events.OnRemoteFailure = SignInRefusals.OnRemoteFailureAsync;
    }
}
