using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace WoningPas.IdentityProvider;

/// <summary>
/// The stand-in's sign-in page: a plain HTML form (username, password and one hidden antiforgery field, no script),
/// so that a browser test and <c>curl</c> can both sign in. It starts the stand-in's own session and returns to the
/// authorization request that sent the person here.
/// </summary>
internal static class SignInForm
{
    public static void MapSignInForm(this WebApplication app, IssuerProfile profile)
    {
        var path = profile.LoginPage.AbsolutePath;
        app.MapGet(path, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, profile, SafeReturnUrl(profile, returnUrl), error: null));
        app.MapPost(path, async (HttpContext context, IAntiforgery antiforgery, IssuerSettings settings) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The form's antiforgery token is missing or wrong.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var returnUrl = SafeReturnUrl(profile, form["returnUrl"]);
            var user = settings.Users.FirstOrDefault(u => u.UserName == form["username"].ToString());
            if (user is null || !PasswordMatches(settings.Password, form["password"].ToString()))
            {
                return Page(context, antiforgery, profile, returnUrl, "Onbekende gebruiker of fout wachtwoord.", 401);
            }

            await context.SignInAsync(IdentityProviderApp.SessionScheme, SessionPrincipal(user));
            return Results.Redirect(returnUrl);
        });
    }

    internal static ClaimsPrincipal SessionPrincipal(StandInUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.UserName)], IdentityProviderApp.SessionScheme));

    private static bool PasswordMatches(string expected, string given) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));

    /// <summary>Only this issuer's authorization endpoint may be returned to: anything else is an open redirect.</summary>
    private static string SafeReturnUrl(IssuerProfile profile, string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith(profile.AuthorizationEndpoint.AbsolutePath + "?", StringComparison.Ordinal)
            && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : profile.AuthorizationEndpoint.AbsolutePath;

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, IssuerProfile profile, string returnUrl,
        string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var title = profile.Kind == IssuerKind.Citizen ? "Aanmelden bij de Vlaamse overheid (stand-in)" : "Sign in to your organisation (stand-in)";
        var message = error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        var html = $"""
            <!doctype html>
            <html lang="nl-BE"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title></head>
            <body><main><h1>{title}</h1>{message}
            <form method="post" action="{WebUtility.HtmlEncode(profile.LoginPage.AbsolutePath)}">
            <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <p><label for="username">Gebruikersnaam</label> <input id="username" name="username" autocomplete="username" required></p>
            <p><label for="password">Wachtwoord</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit">Aanmelden</button></p>
            </form></main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
