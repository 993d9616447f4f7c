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

    public static bool UsesOpenIdConnect(IConfiguration configuration, IHostEnvironment environment) =>
        !environment.IsDevelopment() || configuration.GetSection(AzureAdSettings.SectionName).Exists();

    public static WebApplicationBuilder AddWoningPasAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            // Challenges go through the cookie handler: an API call gets a 401, a page a redirect to /account/login.
            options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        });

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
            .AddPolicy(CitizenPolicy, policy => policy.RequireClaim(WoningPasClaims.Role, Roles.Citizen));
        return builder;
    }

    private static void ConfigureSessionCookie(CookieAuthenticationOptions options, bool isDevelopment)
    {
        // The __Host- prefix pins the cookie to this origin over HTTPS; plain-HTTP local runs cannot use it.
        options.Cookie.Name = isDevelopment ? "woningpas-session" : "__Host-woningpas-session";
        options.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        options.SlidingExpiration = true;
        options.LoginPath = "/account/login";
        options.LogoutPath = "/account/logout";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnRedirectToLogin = context => IsApiCall(context)
            ? WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required")
            : RedirectAsync(context);
        options.Events.OnRedirectToAccessDenied = context => IsApiCall(context)
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
