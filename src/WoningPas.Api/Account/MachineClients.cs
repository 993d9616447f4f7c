using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using WoningPas.Api.Monitoring;
using WoningPas.Data;

namespace WoningPas.Api.Account;

/// <summary>
/// Other organisations' software (a notary's, a municipality's) calls with an OAuth2 client-credentials JWT from the
/// government's authorisation server (section "MachineClients"). Only allow-listed client ids are admitted; their
/// organisation is the allow-list's, never the token's word alone.
/// </summary>
public sealed class MachineClientSettings
{
    public const string SectionName = "MachineClients";

    /// <summary>The authorisation server whose signing keys and issuer the tokens must carry.</summary>
    [Required(ErrorMessage = "MachineClients:Authority is required (the issuer of client-credentials tokens).")]
    [Url(ErrorMessage = "MachineClients:Authority must be an absolute URL.")]
    public string? Authority { get; set; }

    [Required(ErrorMessage = "MachineClients:Audience is required.")]
    public string Audience { get; set; } = "api://woningpas";

    /// <summary>Client id (a GUID) → the organisation it belongs to. A client not named here is refused.</summary>
    /// <remarks>String keys: the configuration binder does not bind GUID keys; each is checked to be one at start.</remarks>
    public Dictionary<string, string> Allowed { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public static class MachineClients
{
    public const string Scheme = "machine";

    /// <summary>The longest organisation name accepted in a token or the allow-list.</summary>
    public const int MaxOrganisationLength = 100;

    /// <summary>The scope that lets a client read one passport section: "epc.read", "permits.read", ...</summary>
    public static string ReadScope(string section) => section + ".read";

    public static AuthenticationBuilder AddMachineClients(this AuthenticationBuilder authentication,
        IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        var section = configuration.GetSection(MachineClientSettings.SectionName);
        authentication.Services.AddOptions<MachineClientSettings>().Bind(section).ValidateDataAnnotations()
            .Validate(settings => settings.Allowed.Values.All(org => org.Length is > 0 and <= MaxOrganisationLength),
                $"MachineClients:Allowed: every organisation is 1 to {MaxOrganisationLength} characters.")
            .Validate(settings => settings.Allowed.Keys.All(id => Guid.TryParse(id, out _)),
                "MachineClients:Allowed: every key is a client id (a GUID).")
            .ValidateOnStart();
        authentication.AddJwtBearer(Scheme, _ => { });
        authentication.Services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<MachineClientSettings>>((options, current) =>
        {
            var settings = current.Value;
            options.Authority = settings.Authority;
            options.Audience = settings.Audience;
            options.RequireHttpsMetadata = !IdentityEndpoints.IsPlainLoopback(settings.Authority);
            options.MapInboundClaims = false;
            options.TokenValidationParameters.ValidIssuer = settings.Authority;
            options.TokenValidationParameters.ValidateIssuer = true;
            options.TokenValidationParameters.ValidateAudience = true;
            options.TokenValidationParameters.ValidateLifetime = true;
            options.TokenValidationParameters.RequireExpirationTime = true;
            options.TokenValidationParameters.RequireSignedTokens = true;
            options.TokenValidationParameters.ValidAlgorithms = [Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256];
            // Client-credentials tokens are short-lived; five minutes of default leeway would stretch them noticeably.
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = ReplacePrincipal,
                OnAuthenticationFailed = context =>
                {
                    SecurityEvents.For(context.HttpContext).LogSignInFailed("machine token: " + context.Exception.GetType().Name);
                    return Task.CompletedTask;
                },
            };
        });
        return authentication;
    }

    /// <summary>
    /// The token becomes the same shape of identity every other caller has: a subject (the client id), the machine
    /// role, the allow-list's organisation and one claim per scope. A client not on the allow-list, or whose token
    /// names another organisation, is refused.
    /// </summary>
    private static Task ReplacePrincipal(TokenValidatedContext context)
    {
        var allowed = context.HttpContext.RequestServices.GetRequiredService<IOptions<MachineClientSettings>>().Value.Allowed;
        var token = context.Principal!;
        var clientId = new[] { "azp", "client_id", "appid", "sub" }
            .Select(name => token.FindFirst(name)?.Value)
            .FirstOrDefault(value => value is not null);
        if (!Guid.TryParse(clientId, out var client) || !allowed.TryGetValue(client.ToString("D"), out var organisation))
        {
            SecurityEvents.For(context.HttpContext).LogSignInFailed("machine client not on the allow-list");
            context.Fail("The client is not on the allow-list.");
            return Task.CompletedTask;
        }

        var claimed = token.FindFirst("org")?.Value;
        if (claimed is not null && claimed != organisation)
        {
            SecurityEvents.For(context.HttpContext).LogSignInFailed("machine client organisation differs from the allow-list");
            context.Fail("The token names another organisation than the allow-list.");
            return Task.CompletedTask;
        }

        var scopes = token.FindAll("scp").Concat(token.FindAll("scope"))
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(token.FindAll("roles").Select(claim => claim.Value))
            .Distinct(StringComparer.Ordinal);
        var identity = WoningPasClaims.CreateIdentity(Scheme, client, organisation, Roles.MachineClient, organisation);
        identity.AddClaims(scopes.Select(scope => new Claim(WoningPasClaims.Scope, scope)));
        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }
}
