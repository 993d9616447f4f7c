using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WoningPas.IdentityProvider;

/// <summary>
/// The claims each issuer puts in its tokens, named as the real providers name them:
/// ACM/IDM (scopes openid, profile, rrn, email): <c>sub</c>, <c>given_name</c>, <c>family_name</c>, <c>rrn</c>,
/// <c>email</c>, <c>email_verified</c>, <c>acr</c>; Entra ID v2.0: <c>sub</c>, <c>oid</c>, <c>tid</c>, <c>name</c>,
/// <c>preferred_username</c>, <c>roles</c>, <c>amr</c>, <c>ver</c>.
/// </summary>
internal static class UserClaims
{
    public static ClaimsIdentity Create(IssuerProfile profile, StandInUser user)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString("N"));
        identity.SetClaim(Claims.GivenName, user.GivenName);
        identity.SetClaim(Claims.FamilyName, user.FamilyName);
        if (profile.Kind == IssuerKind.Citizen)
        {
            identity.SetClaim("rrn", user.NationalRegisterNumber);
            identity.SetClaim(Claims.Email, user.Email);
            if (user.Email is not null)
            {
                identity.SetClaim(Claims.EmailVerified, user.EmailVerified);
            }

            identity.SetClaim(Claims.AuthenticationContextReference, user.Acr);
            return identity;
        }

        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.PreferredUsername, user.UserName + "@" + profile.TenantId);
        identity.SetClaim("oid", user.Id.ToString("D"));
        identity.SetClaim("tid", profile.TenantId);
        identity.SetClaim("ver", "2.0");
        identity.SetClaims("roles", [.. user.Roles]);
        identity.SetClaims("amr", user.Mfa ? ["pwd", "mfa"] : ["pwd"]);
        return identity;
    }
}
