using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Domain;

namespace WoningPas.Api.Account;

/// <summary>
/// Turns the identity provider's token into a WoningPas session: the national register number identifies the person
/// once, and the session keeps only the person's subject id.
/// </summary>
internal static class CitizenSignIn
{
    public static AuthenticationBuilder AddCitizenSignIn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var section = configuration.GetSection(CitizenIdentitySettings.SectionName);
        authentication.Services.AddOptions<CitizenIdentitySettings>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        authentication.AddOpenIdConnect(Authentication.CitizenScheme, _ => { });
        // Read when the options are first needed, so that every configuration source (tests' too) has been added.
        authentication.Services.AddOptions<OpenIdConnectOptions>(Authentication.CitizenScheme)
            .Configure<IOptions<CitizenIdentitySettings>>((options, current) =>
        {
            var settings = current.Value;
            Authentication.UseCodeFlow(options, settings.Authority ?? "", "/account/signin-citizen");
            options.Authority = settings.Authority;
            options.ClientId = settings.ClientId;
            options.ClientSecret = settings.ClientSecret;
            options.SignedOutCallbackPath = "/account/signed-out-citizen";
            options.Scope.Clear();
            foreach (var scope in (string[])["openid", "profile", "rrn", "email"])
            {
                options.Scope.Add(scope);
            }

            options.TokenValidationParameters.ValidIssuer = settings.Authority;
            options.TokenValidationParameters.ValidAudience = settings.ClientId;
            options.TokenValidationParameters.ValidateAudience = true;
            options.Events.OnTokenValidated = ReplacePrincipalAsync;
            options.Events.OnRedirectToIdentityProvider = AccountEndpoints.ForwardLoginHintAsync;
        });
        return authentication;
    }

    /// <summary>
    /// The means of authentication must be "substantial" or higher and the token must carry a valid national register
    /// number; otherwise the person gets a page that says why, and nothing is created.
    /// </summary>
    public static async Task ReplacePrincipalAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<IOptions<CitizenIdentitySettings>>().Value;
        var token = context.Principal!;
        if (!settings.AcceptedAuthenticationMeans.Contains(token.FindFirst("acr")?.Value ?? "", StringComparer.Ordinal))
        {
            await SignInRefusals.RefuseAsync(context, SignInRefusal.AssuranceTooLow);
            return;
        }

        if (!Insz.TryParse(token.FindFirst("rrn")?.Value, out var insz))
        {
            await SignInRefusals.RefuseAsync(context, SignInRefusal.NoNationalRegisterNumber);
            return;
        }

        var displayName = string.Join(' ', new[] { token.FindFirst("given_name")?.Value, token.FindFirst("family_name")?.Value }
            .Where(part => !string.IsNullOrWhiteSpace(part)));
        // Only an address the identity provider verified may unlock what was shared with it.
        var email = token.FindFirst("email")?.Value;
        var verified = string.Equals(token.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var (id, name) = await FindOrAddAsync(services.GetRequiredService<WoningPasDbContext>(),
            services.GetRequiredService<KeyRingCache>(), insz, displayName.Length > 0 ? displayName : "Burger",
            context.HttpContext.RequestAborted);
        context.Principal = new System.Security.Claims.ClaimsPrincipal(WoningPasClaims.CreateIdentity(
            CookieAuthenticationDefaults.AuthenticationScheme, id, name, Roles.Citizen, null,
            verified && !string.IsNullOrWhiteSpace(email) ? email : null));
    }

    /// <summary>
    /// A citizen may sign in before the cadastre registered any right for them: they then see no dwellings, and
    /// their rights attach to this person when they arrive.
    /// </summary>
    /// <returns>The person's id and their name as WoningPas knows it (decrypted).</returns>
    internal static async Task<(Guid Id, string DisplayName)> FindOrAddAsync(WoningPasDbContext db, KeyRingCache keys,
        Insz insz, string displayName, CancellationToken cancellationToken)
    {
        var ring = await keys.GetAsync(cancellationToken);
        var existing = await db.People.AsNoTracking().FindByInszAsync(ring, insz, cancellationToken);
        if (existing is null && await keys.CurrentAsync(cancellationToken) is var current && !ReferenceEquals(current, ring))
        {
            // Rotated since the ring was loaded: the row's blind index may be under the new version's key.
            ring = current;
            existing = await db.People.AsNoTracking().FindByInszAsync(ring, insz, cancellationToken);
        }

        if (existing is not null)
        {
            return await ReadAsync(keys, existing, cancellationToken);
        }

        var person = PersonFields.Create(ring, Guid.CreateVersion7(), insz, displayName);
        db.People.Add(person);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (person.Id, displayName);
        }
        catch (DbUpdateException)
        {
            // A concurrent first sign-in of the same person won the unique blind index.
            db.Entry(person).State = EntityState.Detached;
            var winner = await db.People.AsNoTracking().FindByInszAsync(ring, insz, cancellationToken)
                ?? throw new InvalidOperationException("The person vanished after a concurrent sign-in.");
            return await ReadAsync(keys, winner, cancellationToken);
        }
    }

    private static async Task<(Guid Id, string DisplayName)> ReadAsync(KeyRingCache keys, Person person,
        CancellationToken cancellationToken)
    {
        var ring = await keys.ForAsync(person.EncryptedDisplayName, cancellationToken);
        return (person.Id, ring.DisplayName(person));
    }
}
