using System.Security.Claims;

namespace WoningPas.Api.Account;

/// <summary>
/// The claims in a WoningPas session. Deliberately few: a subject id, a display name, a role, an organisation and,
/// when the identity provider vouches for it, a verified e-mail address (to receive shares). The INSZ the identity
/// provider sends is used once at sign-in to find the person and is not kept in the session.
/// </summary>
public static class WoningPasClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Organisation = "org";

    /// <summary>Present only when verified by the identity provider; lower case.</summary>
    public const string VerifiedEmail = "verified_email";

    /// <summary>A machine client's scope, one claim per scope.</summary>
    public const string Scope = "scope";

    /// <summary>The share a link holder presented.</summary>
    public const string Share = "share";

    public static ClaimsIdentity CreateIdentity(string authenticationType, Guid subjectId, string displayName,
        string role, string? organisation, string? verifiedEmail = null)
    {
        var identity = new ClaimsIdentity(authenticationType, Name, Role);
        identity.AddClaim(new Claim(Subject, subjectId.ToString("D")));
        identity.AddClaim(new Claim(Name, displayName));
        identity.AddClaim(new Claim(Role, role));
        if (organisation is not null)
        {
            identity.AddClaim(new Claim(Organisation, organisation));
        }

        if (verifiedEmail is not null)
        {
            identity.AddClaim(new Claim(VerifiedEmail, NormaliseEmail(verifiedEmail)));
        }

        return identity;
    }

    /// <summary>E-mail addresses compare case-insensitively in practice; shares store and match the lower-case form.</summary>
    public static string NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }
}

/// <summary>Who is calling, as the access log and the authorisation checks need it.</summary>
public sealed record Actor(Guid SubjectId, string Role, string? Organisation)
{
    public static Actor? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var subject = user.FindFirst(WoningPasClaims.Subject)?.Value;
        var role = user.FindFirst(WoningPasClaims.Role)?.Value;
        return Guid.TryParse(subject, out var subjectId) && role is not null
            ? new Actor(subjectId, role, user.FindFirst(WoningPasClaims.Organisation)?.Value)
            : null;
    }
}
