using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using WoningPas.Data;

namespace WoningPas.Api.Account;

/// <summary>
/// Other organisations' software (a notary's, a municipality's) calls with an OAuth2 client-credentials JWT from the
/// government's authorisation server (section "MachineClients"). Without an authority no token validates: the scheme
/// exists but admits nobody.
/// </summary>
public sealed class MachineClientSettings
{
    public const string SectionName = "MachineClients";

    /// <summary>The authorisation server whose signing keys and issuer the tokens must carry.</summary>
    [Url(ErrorMessage = "MachineClients:Authority must be an absolute URL.")]
    public string? Authority { get; set; }

    [Required(ErrorMessage = "MachineClients:Audience is required.")]
    public string Audience { get; set; } = "api://woningpas";
}

public static class MachineClients
{
    public const string Scheme = "machine";

    /// <summary>The scope that lets a client read one passport section: "epc.read", "permits.read", ...</summary>
    public static string ReadScope(string section) => section + ".read";

    public static AuthenticationBuilder AddMachineClients(this AuthenticationBuilder authentication,
        IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        var section = configuration.GetSection(MachineClientSettings.SectionName);
        authentication.Services.AddOptions<MachineClientSettings>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var settings = section.Get<MachineClientSettings>() ?? new MachineClientSettings();
        authentication.AddJwtBearer(Scheme, options =>
        {
            options.Authority = settings.Authority;
            options.Audience = settings.Audience;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.ValidateIssuer = true;
            options.TokenValidationParameters.ValidateAudience = true;
            options.TokenValidationParameters.ValidateLifetime = true;
            options.TokenValidationParameters.RequireExpirationTime = true;
            // Client-credentials tokens are short-lived; five minutes of default leeway would stretch them noticeably.
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            options.Events = new JwtBearerEvents { OnTokenValidated = ReplacePrincipal };
        });
        return authentication;
    }

    /// <summary>
    /// The token becomes the same shape of identity every other caller has: a subject (the client id), the machine
    /// role, an organisation and one claim per scope. A token without a client id is refused.
    /// </summary>
    private static Task ReplacePrincipal(TokenValidatedContext context)
    {
        var token = context.Principal!;
        var clientId = new[] { "azp", "client_id", "appid", "sub" }
            .Select(name => token.FindFirst(name)?.Value)
            .FirstOrDefault(value => value is not null);
        if (!Guid.TryParse(clientId, out var client))
        {
            context.Fail("The token names no client id.");
            return Task.CompletedTask;
        }

        var scopes = token.FindAll("scp").Concat(token.FindAll("scope"))
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(token.FindAll("roles").Select(claim => claim.Value))
            .Distinct(StringComparer.Ordinal);
        var identity = WoningPasClaims.CreateIdentity(Scheme, client, token.FindFirst("name")?.Value ?? clientId!,
            Roles.MachineClient, token.FindFirst("org")?.Value);
        identity.AddClaims(scopes.Select(scope => new Claim(WoningPasClaims.Scope, scope)));
        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }
}
