using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;

namespace WoningPas.Api.Account;

/// <summary>
/// Sign-in, its landing and sign-out. There is one way in, in every environment: OpenID Connect at the person's
/// issuer. <c>login_hint</c> is passed on to the provider, as the protocol allows (the local run's stand-in uses it to
/// sign a persona in without its form; real providers use it to preselect an account).
/// </summary>
public static class AccountEndpoints
{
    private const string LoginHintItem = "login_hint";

    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder routes)
    {
        var account = routes.MapGroup("/account").AllowAnonymous();

        account.MapGet("/login", (string? returnUrl, string? provider, string? login_hint) =>
        {
            var target = Authentication.SafeReturnUrl(returnUrl);
            var properties = SignInProperties(target);
            if (login_hint is { Length: > 0 and <= 256 })
            {
                properties.Items[LoginHintItem] = login_hint;
            }

            return Results.Challenge(properties, [Authentication.SchemeFor(target, provider)]);
        });

        account.MapGet("/signed-in", (string? returnUrl) => LandingPage(Authentication.SafeReturnUrl(returnUrl)));

        account.MapPost("/logout", async Task<IResult> (HttpContext context) => await SignOutAsync(context));

        // "Sign out everywhere": every session of this person, on every device and replica. Outside the anonymous group.
        routes.MapPost("/account/sessions/end-all", async Task<IResult> (HttpContext context, Sessions.SessionStore sessions) =>
        {
            if (Actor.From(context.User) is not { } actor)
            {
                return Results.Unauthorized();
            }

            var ended = await sessions.RevokeAllAsync(actor.SubjectId);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Json(new { ended });
        }).RequireAuthorization(Authentication.CitizenPolicy);

        // An unknown account path is simply not there, for everyone: no sign-in redirect that hints at a hidden route.
        account.MapFallback(() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
            title: "Not found", type: ProblemTypes.NotFound));

        return routes;
    }

    /// <summary>After the provider, the person lands on /account/signed-in, which continues to where they were going.</summary>
    public static AuthenticationProperties SignInProperties(string returnUrl) =>
        new() { RedirectUri = "/account/signed-in?returnUrl=" + Uri.EscapeDataString(returnUrl), IsPersistent = false };

    internal static Task ForwardLoginHintAsync(RedirectContext context)
    {
        if (context.Properties.Items.Remove(LoginHintItem, out var hint))
        {
            context.ProtocolMessage.LoginHint = hint;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Ends the session here and answers where the browser ends it at the provider (RP-initiated logout, with the
    /// id token as hint): a script cannot follow a cross-site redirect, so the address is returned as JSON.
    /// </summary>
    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!session.Succeeded)
        {
            return Results.NoContent();
        }

        var role = session.Principal!.FindFirst(WoningPasClaims.Role)?.Value;
        var scheme = role is Roles.Editor or Roles.Auditor ? Authentication.StaffScheme : Authentication.CitizenScheme;
        // The provider's handler reads the id token from the session, so it signs out first.
        await context.SignOutAsync(scheme, new AuthenticationProperties { RedirectUri = "/" });
        var endSession = context.Response.Headers.Location.ToString();
        context.Response.Headers.Location = default;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Json(new SignedOut(endSession));
    }

    private sealed record SignedOut(string EndSessionUrl);

    /// <summary>
    /// The session cookie is SameSite=Strict, so the browser does not send it on the redirect chain that started at
    /// the provider's site. This page continues with a navigation from this site, which does carry it.
    /// </summary>
    private static IResult LandingPage(string returnUrl)
    {
        var target = WebUtility.HtmlEncode(returnUrl);
        var html = $"""
            <!doctype html>
            <html lang="nl-BE"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={target}">
            <title>Aangemeld – WoningPas</title></head>
            <body><main><p>U bent aangemeld. <a href="{target}">Verder</a></p></main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
