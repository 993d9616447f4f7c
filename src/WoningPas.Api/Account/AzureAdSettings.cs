using System.ComponentModel.DataAnnotations;

namespace WoningPas.Api.Account;

/// <summary>
/// The staff sign-in: one Microsoft Entra ID tenant (section "AzureAd", read by Microsoft.Identity.Web). The tenant is
/// pinned: a GUID, never "common" or "organizations", so that no other organisation's accounts are accepted.
/// </summary>
public sealed class AzureAdSettings : IValidatableObject
{
    public const string SectionName = "AzureAd";

    [Required(ErrorMessage = "AzureAd:Instance is required (e.g. https://login.microsoftonline.com/).")]
    [Url(ErrorMessage = "AzureAd:Instance must be an absolute URL.")]
    public string? Instance { get; set; }

    [Required(ErrorMessage = "AzureAd:TenantId is required.")]
    public string? TenantId { get; set; }

    [Required(ErrorMessage = "AzureAd:ClientId is required.")]
    public string? ClientId { get; set; }

    [Required(ErrorMessage = "AzureAd:ClientSecret is required (the code flow redeems codes as a confidential client).")]
    public string? ClientSecret { get; set; }

    [Required(ErrorMessage = "AzureAd:CallbackPath is required (e.g. /account/signin-staff).")]
    public string CallbackPath { get; set; } = "/account/signin-staff";

    /// <summary>The issuer tokens must carry, exactly: Instance + TenantId + "/v2.0".</summary>
    public string Issuer => $"{Instance?.TrimEnd('/')}/{TenantId}/v2.0";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult(
                "AzureAd:TenantId must be the tenant's GUID; \"common\", \"organizations\" and domain names are refused.",
                [nameof(TenantId)]);
        }

        if (IdentityEndpoints.RequiresHttps(Instance))
        {
            yield return new ValidationResult("AzureAd:Instance must be https:// (plain HTTP only on loopback).", [nameof(Instance)]);
        }
    }
}

/// <summary>
/// The citizen sign-in: the Flemish government's OpenID Connect provider (ACM/IDM), section "CitizenIdentity". Third
/// parties (a notary, an agent, a buyer) sign in here too: they are citizens.
/// </summary>
public sealed class CitizenIdentitySettings : IValidatableObject
{
    public const string SectionName = "CitizenIdentity";

    /// <summary>The issuer, e.g. https://authenticatie.vlaanderen.be/op.</summary>
    [Required(ErrorMessage = "CitizenIdentity:Authority is required (e.g. https://authenticatie.vlaanderen.be/op).")]
    [Url(ErrorMessage = "CitizenIdentity:Authority must be an absolute URL.")]
    public string? Authority { get; set; }

    [Required(ErrorMessage = "CitizenIdentity:ClientId is required.")]
    public string? ClientId { get; set; }

    [Required(ErrorMessage = "CitizenIdentity:ClientSecret is required.")]
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The means of authentication (<c>acr</c>) accepted: eIDAS "substantial" or "high" (ACM/IDM's list of
    /// authentication means). A sign-in with anything else is refused with a page that says why.
    /// </summary>
    [MinLength(1, ErrorMessage = "CitizenIdentity:AcceptedAuthenticationMeans needs at least one value.")]
    public List<string> AcceptedAuthenticationMeans { get; set; } =
    [
        "urn:be:vlaanderen:authmech:eid", "urn:be:vlaanderen:authmech:eidashigh", "urn:be:vlaanderen:authmech:itsme",
        "urn:be:vlaanderen:authmech:csamtotp", "urn:be:vlaanderen:authmech:csamsms",
        "urn:be:vlaanderen:authmech:eidassubstantial",
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdentityEndpoints.RequiresHttps(Authority))
        {
            yield return new ValidationResult("CitizenIdentity:Authority must be https:// (plain HTTP only on loopback).",
                [nameof(Authority)]);
        }
    }
}

internal static class IdentityEndpoints
{
    /// <summary>True when the address is plain HTTP on anything but loopback: tokens must never travel that way.</summary>
    public static bool RequiresHttps(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback;

    public static bool IsPlainLoopback(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}
