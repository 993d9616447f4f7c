namespace WoningPas.IdentityProvider;

/// <summary>Which of the two issuers a user signs in at: the Flemish government's (citizens) or the staff tenant.</summary>
public enum IssuerKind
{
    Citizen,
    Staff,
}

/// <summary>
/// A person the stand-in knows. Citizens carry what the Flemish government's sign-in (ACM/IDM) sends: a national
/// register number, names, an e-mail address and the means of authentication (<c>acr</c>). Staff carry what a
/// Microsoft Entra ID v2.0 token carries: an object id, app roles and whether MFA was used (<c>amr</c>).
/// </summary>
public sealed record StandInUser(string UserName, Guid Id, IssuerKind Issuer, string GivenName, string FamilyName)
{
    /// <summary>The <c>rrn</c> claim (citizens only); null sends none.</summary>
    public string? NationalRegisterNumber { get; init; }

    public string? Email { get; init; }

    public bool EmailVerified { get; init; } = true;

    /// <summary>The means of authentication, an ACM/IDM URN; itsme counts as "high".</summary>
    public string Acr { get; init; } = AcmAuthenticationMeans.Itsme;

    /// <summary>Entra ID app roles (staff only): "energy.editor", "audit.reader", ...</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Whether the staff member passed multi-factor authentication (<c>amr</c> then holds "mfa").</summary>
    public bool Mfa { get; init; } = true;

    public string DisplayName => $"{GivenName} {FamilyName}";
}

/// <summary>
/// The ACM/IDM authentication means (authenticatie.vlaanderen.be, "Authenticatiemiddelen"), sent as <c>acr</c>, with
/// their eIDAS level. The Api accepts "substantial" and up.
/// </summary>
public static class AcmAuthenticationMeans
{
    public const string Eid = "urn:be:vlaanderen:authmech:eid";
    public const string Itsme = "urn:be:vlaanderen:authmech:itsme";
    public const string MobileApp = "urn:be:vlaanderen:authmech:csamtotp";
    public const string Sms = "urn:be:vlaanderen:authmech:csamsms";
    public const string CsamPassword = "urn:be:vlaanderen:authmech:csampassword";

    /// <summary>eIDAS "substantial" or "high": what a passport with personal data requires.</summary>
    public static IReadOnlyList<string> SubstantialOrHigher { get; } =
    [
        Eid, "urn:be:vlaanderen:authmech:eidashigh", Itsme, MobileApp, Sms, "urn:be:vlaanderen:authmech:eidassubstantial",
    ];
}
