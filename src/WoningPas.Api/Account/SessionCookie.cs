using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using WoningPas.Api.Infrastructure;

namespace WoningPas.Api.Account;

/// <summary>The session cookie's rules, and where a request without a session is sent.</summary>
internal static class SessionCookie
{
    public static void Configure(CookieAuthenticationOptions options, bool isDevelopment)
    {
        // The __Host- prefix pins the cookie to this origin over HTTPS; plain-HTTP local runs cannot use it.
        options.Cookie.Name = isDevelopment ? "woningpas-session" : "__Host-woningpas-session";
        options.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        options.Cookie.HttpOnly = true;
        // Strict: the session is only ever needed by same-site requests. The sign-in callback arrives from the
        // identity provider's site, so it lands on /account/signed-in, which continues with a same-site navigation.
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.Path = "/";
        // The session store sets each session's absolute end and enforces the idle timeout; the cookie never slides.
        options.SlidingExpiration = false;
        options.LoginPath = "/account/login";
        options.LogoutPath = "/account/logout";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnRedirectToLogin = context => IsApiCall(context)
            ? WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required")
            : ChallengeIssuerAsync(context);
        // A signed-in user without the staff role gets a plain 403 on /staff, not a redirect to a page that is not there.
        options.Events.OnRedirectToAccessDenied = context => IsApiCall(context) || context.Request.Path.StartsWithSegments("/staff")
            ? WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed")
            : RedirectAsync(context);
    }

    /// <summary>A page without a session goes straight to its issuer: staff pages to the staff tenant, others to citizens.</summary>
    private static Task ChallengeIssuerAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var request = context.Request;
        var returnUrl = Authentication.SafeReturnUrl(request.PathBase + request.Path + request.QueryString);
        return context.HttpContext.ChallengeAsync(Authentication.SchemeFor(returnUrl, provider: null),
            AccountEndpoints.SignInProperties(returnUrl));
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
}
