using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WoningPas.IdentityProvider;

/// <summary>
/// The endpoints OpenIddict passes through to the stand-in: who is signing in (authorization), what a code, a refresh
/// token or client credentials become (token), and the end of the session (RP-initiated logout).
/// </summary>
internal static class ProtocolEndpoints
{
    public static void MapProtocolEndpoints(this WebApplication app, IssuerProfile profile)
    {
        app.MapMethods(profile.AuthorizationEndpoint.AbsolutePath, ["GET", "POST"], AuthorizeAsync);
        app.MapPost(profile.TokenEndpoint.AbsolutePath, TokenAsync);
        app.MapMethods(profile.EndSessionEndpoint.AbsolutePath, ["GET", "POST"], async (HttpContext context) =>
        {
            await context.SignOutAsync(IdentityProviderApp.SessionScheme);
            // OpenIddict checks post_logout_redirect_uri against the registration and redirects there.
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
    }

    /// <summary>Rotates the signing keys: POST {issuer path}/_standin/rotate-keys. Loopback-only test double.</summary>
    public static void MapKeyRotation(this WebApplication app, IssuerProfile profile) =>
        app.MapPost(profile.Issuer.AbsolutePath + "/_standin/rotate-keys",
            (SigningKeys keys) => Results.Ok(new { kid = keys.Rotate() }));

    private static async Task<IResult> AuthorizeAsync(HttpContext context, IssuerSettings settings)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not pass an authorization request.");
        var user = settings.SignInByLoginHint && !string.IsNullOrEmpty(request.LoginHint)
            ? settings.Users.FirstOrDefault(u => u.UserName == request.LoginHint)
            : await SessionUserAsync(context, settings);
        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            var returnUrl = context.Request.Path + QueryString.Create(
                context.Request.HasFormContentType
                    ? (await context.Request.ReadFormAsync()).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
                    : context.Request.Query.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())));
            return Results.Redirect(settings.Profile.LoginPage.AbsolutePath + "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        }

        if (settings.SignInByLoginHint && !string.IsNullOrEmpty(request.LoginHint))
        {
            await context.SignInAsync(IdentityProviderApp.SessionScheme, SignInForm.SessionPrincipal(user));
        }

        var identity = UserClaims.Create(settings.Profile, user);
        identity.SetScopes(request.GetScopes().Intersect(settings.Profile.Scopes));
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null,
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext context, IssuerSettings settings)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not pass a token request.");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // OpenIddict validated the code or refresh token; the person must still exist to get new tokens.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = result.Principal?.GetClaim(Claims.Subject);
            var user = settings.Users.FirstOrDefault(u => u.Id.ToString("N") == subject);
            if (result.Principal is null || user is null)
            {
                return Forbid(Errors.InvalidGrant, "The user no longer exists.");
            }

            var identity = UserClaims.Create(settings.Profile, user);
            identity.SetScopes(result.Principal.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null,
                OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var client = settings.MachineClients.FirstOrDefault(c => c.ClientId.ToString("D") == request.ClientId);
            if (client is null)
            {
                return Forbid(Errors.InvalidClient, "Unknown client.");
            }

            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(Claims.Name, client.Organisation);
            identity.SetClaim("org", client.Organisation);
            identity.SetScopes(request.GetScopes().Intersect(client.Scopes));
            identity.SetResources(MachineAudience);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null,
                OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    /// <summary>The audience of machine clients' access tokens: the Api.</summary>
    public const string MachineAudience = "api://woningpas";

    private static async Task<StandInUser?> SessionUserAsync(HttpContext context, IssuerSettings settings)
    {
        var session = await context.AuthenticateAsync(IdentityProviderApp.SessionScheme);
        var name = session.Principal?.Identity?.Name;
        return name is null ? null : settings.Users.FirstOrDefault(u => u.UserName == name);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
