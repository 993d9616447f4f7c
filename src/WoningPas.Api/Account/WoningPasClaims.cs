using System.Security.Claims;

namespace WoningPas.Api.Account;

/// <summary>
/// The claims in a WoningPas session. Deliberately few: a subject id, a display name, a role and an organisation.
/// The INSZ the identity provider sends is used once at sign-in to find the person and is not kept in the session.
/// </summary>
public static class WoningPasClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Organisation = "org";

    public static ClaimsIdentity CreateIdentity(string authenticationType, Guid subjectId, string displayName,
        string role, string? organisation)
    {
        var identity = new ClaimsIdentity(authenticationType, Name, Role);
        identity.AddClaim(new Claim(Subject, subjectId.ToString("D")));
        identity.AddClaim(new Claim(Name, displayName));
        identity.AddClaim(new Claim(Role, role));
        if (organisation is not null)
        {
            identity.AddClaim(new Claim(Organisation, organisation));
        }

        return identity;
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
