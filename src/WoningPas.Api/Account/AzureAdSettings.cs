using System.ComponentModel.DataAnnotations;

namespace WoningPas.Api.Account;

/// <summary>
/// The OpenID Connect registration (section "AzureAd", read by Microsoft.Identity.Web). Required outside Development:
/// a production host without it refuses to start and names the missing setting.
/// </summary>
public sealed class AzureAdSettings
{
    public const string SectionName = "AzureAd";

    [Required(ErrorMessage = "AzureAd:Instance is required (e.g. https://login.microsoftonline.com/).")]
    [Url(ErrorMessage = "AzureAd:Instance must be an absolute URL.")]
    public string? Instance { get; set; }

    [Required(ErrorMessage = "AzureAd:TenantId is required.")]
    public string? TenantId { get; set; }

    [Required(ErrorMessage = "AzureAd:ClientId is required.")]
    public string? ClientId { get; set; }

    [Required(ErrorMessage = "AzureAd:CallbackPath is required (e.g. /account/signin-oidc).")]
    public string? CallbackPath { get; set; }

    /// <summary>The claim in which the identity provider sends the national register number.</summary>
    [Required(ErrorMessage = "AzureAd:NationalRegisterNumberClaim is required.")]
    public string NationalRegisterNumberClaim { get; set; } = "rrn";

    /// <summary>The claims with the person's e-mail address and whether the identity provider verified it.</summary>
    [Required(ErrorMessage = "AzureAd:EmailClaim is required.")]
    public string EmailClaim { get; set; } = "email";

    [Required(ErrorMessage = "AzureAd:EmailVerifiedClaim is required.")]
    public string EmailVerifiedClaim { get; set; } = "email_verified";
}
