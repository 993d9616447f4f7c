using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using WoningPas.Data;

namespace WoningPas.Api.Account;

/// <summary>
/// Agency staff and the auditor sign in at the Entra ID tenant through Microsoft.Identity.Web. The issuer is pinned
/// to the one tenant, multi-factor authentication is required (<c>amr</c> holds "mfa"), and the app role in
/// <c>roles</c> gives the role and the agency; a staff member without a known role is refused.
/// </summary>
internal static class StaffSignIn
{
    public static AuthenticationBuilder AddStaffSignIn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var section = configuration.GetSection(AzureAdSettings.SectionName);
        authentication.Services.AddOptions<AzureAdSettings>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        authentication.AddMicrosoftIdentityWebApp(section, Authentication.StaffScheme,
            CookieAuthenticationDefaults.AuthenticationScheme);
        authentication.Services.AddOptions<OpenIdConnectOptions>(Authentication.StaffScheme)
            .Configure<IOptions<AzureAdSettings>>((options, current) =>
        {
            var settings = current.Value;
            Authentication.UseCodeFlow(options, settings.Instance ?? "", settings.CallbackPath);
            options.SignedOutCallbackPath = "/account/signed-out-staff";
            // Exactly this tenant's issuer: Microsoft.Identity.Web's own validator accepts any tenant's issuer shape.
            options.TokenValidationParameters.IssuerValidator = null;
            options.TokenValidationParameters.ValidIssuer = settings.Issuer;
            options.TokenValidationParameters.ValidAudience = settings.ClientId;
            var redirect = options.Events.OnRedirectToIdentityProvider;
            options.Events.OnRedirectToIdentityProvider = async context =>
            {
                await redirect(context);
                await AccountEndpoints.ForwardLoginHintAsync(context);
            };
            options.Events.OnTokenValidated = ReplacePrincipalAsync;
        });
        return authentication;
    }

    private static async Task ReplacePrincipalAsync(TokenValidatedContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<AzureAdSettings>>().Value;
        var token = context.Principal!;
        // Microsoft.Identity.Web's readers accept both the short claim names and the mapped long ones.
        if (token.GetTenantId() != settings.TenantId || !Guid.TryParse(token.GetObjectId(), out var objectId))
        {
            await SignInRefusals.RefuseAsync(context, SignInRefusal.WrongTenant);
            return;
        }

        if (!token.FindAll("amr").Concat(token.FindAll("http://schemas.microsoft.com/claims/authnmethodsreferences"))
                .Any(claim => claim.Value == "mfa"))
        {
            await SignInRefusals.RefuseAsync(context, SignInRefusal.NoMultiFactor);
            return;
        }

        // The first known app role, in the catalogue's order; a person with several gets the first one.
        var roles = token.FindAll("roles").Concat(token.FindAll(System.Security.Claims.ClaimTypes.Role))
            .Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        var appRole = StaffAppRoles.All.Keys.FirstOrDefault(roles.Contains);
        if (appRole is null)
        {
            await SignInRefusals.RefuseAsync(context, SignInRefusal.UnknownRole);
            return;
        }

        var (role, organisation) = StaffAppRoles.All[appRole];
        context.Principal = new System.Security.Claims.ClaimsPrincipal(WoningPasClaims.CreateIdentity(
            CookieAuthenticationDefaults.AuthenticationScheme, objectId, token.FindFirst("name")?.Value ?? appRole,
            role, organisation));
    }
}
