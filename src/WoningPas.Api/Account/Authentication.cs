using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Identity.Web;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Monitoring;
using WoningPas.Data;

namespace WoningPas.Api.Account;

/// <summary>
/// One session cookie for every kind of user. Outside Development the cookie is issued after an OpenID Connect
/// sign-in through Microsoft.Identity.Web; in Development it can also be issued for a demo persona. Everything is
/// denied unless an endpoint says otherwise.
/// </summary>
public static class Authentication
{
    public const string CitizenPolicy = "citizen";

    /// <summary>Whoever may read some passport sections: citizens, link holders, agency editors and machine clients.</summary>
    public const string DwellingReaderPolicy = "dwelling-reader";

    public const string AuditorPolicy = "auditor";

    public const string LinkHolderPolicy = "link-holder";

    /// <summary>Picks the scheme per request: a bearer token, a share link, or else the session cookie.</summary>
    private const string SelectorScheme = "woningpas";

    public static bool UsesOpenIdConnect(IConfiguration configuration, IHostEnvironment environment) =>
        !environment.IsDevelopment() || configuration.GetSection(AzureAdSettings.SectionName).Exists();

    public static WebApplicationBuilder AddWoningPasAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = SelectorScheme;
            // Challenges of cookie callers go through the cookie handler: an API call gets a 401, a page a redirect to
            // /account/login. Bearer and share-link callers get their own scheme's 401.
            options.DefaultChallengeScheme = SelectorScheme;
        });
        authentication.AddPolicyScheme(SelectorScheme, null, options => options.ForwardDefaultSelector = SelectScheme);
        authentication.AddMachineClients(builder.Configuration);
        authentication.AddScheme<AuthenticationSchemeOptions, Sharing.ShareLinkHandler>(Sharing.ShareLinks.Scheme, null);

        if (UsesOpenIdConnect(builder.Configuration, builder.Environment))
        {
            var section = builder.Configuration.GetSection(AzureAdSettings.SectionName);
            services.AddOptions<AzureAdSettings>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
            authentication.AddMicrosoftIdentityWebApp(section,
                OpenIdConnectDefaults.AuthenticationScheme, CookieAuthenticationDefaults.AuthenticationScheme);
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                var previous = options.Events.OnTokenValidated;
                options.Events.OnTokenValidated = async context =>
                {
                    await previous(context);
                    await CitizenSignIn.ReplacePrincipalAsync(context);
                };
                var remoteFailure = options.Events.OnRemoteFailure;
                options.Events.OnRemoteFailure = context =>
                {
                    SecurityEvents.For(context.HttpContext).LogSignInFailed(context.Failure?.GetType().Name ?? "remote failure");
                    return remoteFailure(context);
                };
            });
        }
        else
        {
            authentication.AddCookie(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        var isDevelopment = builder.Environment.IsDevelopment();
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme,
            options => ConfigureSessionCookie(options, isDevelopment));

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

    private static void ConfigureSessionCookie(CookieAuthenticationOptions options, bool isDevelopment)
    {
        // The __Host- prefix pins the cookie to this origin over HTTPS; plain-HTTP local runs cannot use it.
        options.Cookie.Name = isDevelopment ? "woningpas-session" : "__Host-woningpas-session";
        options.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        options.Cookie.HttpOnly = true;
        // Strict: the session is only ever needed by same-site calls from the passport page; the sign-in callback
        // itself relies on the identity provider's own correlation cookies, not on this one.
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        options.SlidingExpiration = true;
        options.LoginPath = "/account/login";
        options.LogoutPath = "/account/logout";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnRedirectToLogin = context => IsApiCall(context)
            ? WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required")
            : RedirectAsync(context);
        // A signed-in user without the staff role gets a plain 403 on /staff, not a redirect to a page that is not there.
        options.Events.OnRedirectToAccessDenied = context => IsApiCall(context) || context.Request.Path.StartsWithSegments("/staff")
            ? WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed")
            : RedirectAsync(context);
    }

    private static bool IsApiCall(RedirectContext<CookieAuthenticationOptions> context) =>
        context.Request.Path.StartsWithSegments("/api");

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title },
        });
    }

    /// <summary>Only a path on this origin may be a return URL: anything else would be an open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl, string fallback = "/woningpas") =>
        returnUrl is { Length: > 0 and <= 2048 }
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : fallback;

    internal static Task SignInAsync(HttpContext context, System.Security.Claims.ClaimsIdentity identity) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new System.Security.Claims.ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false });
}
