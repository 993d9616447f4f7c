using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WoningPas.Data;
using WoningPas.Data.People;
using WoningPas.Domain;

namespace WoningPas.Api.Account;

/// <summary>
/// Turns the identity provider's token into a WoningPas session: the national register number identifies the person
/// once, and the session keeps only the person's subject id.
/// </summary>
internal static class CitizenSignIn
{
    public static async Task ReplacePrincipalAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<IOptions<AzureAdSettings>>().Value;
        var claim = context.Principal?.FindFirst(settings.NationalRegisterNumberClaim)?.Value;
        if (!Insz.TryParse(claim, out var insz))
        {
            context.Fail("The identity provider sent no valid national register number.");
            return;
        }

        var displayName = context.Principal?.FindFirst("name")?.Value ?? "Burger";
        // Only an address the identity provider verified may unlock what was shared with it.
        var email = context.Principal?.FindFirst(settings.EmailClaim)?.Value;
        var verified = string.Equals(context.Principal?.FindFirst(settings.EmailVerifiedClaim)?.Value, "true",
            StringComparison.OrdinalIgnoreCase);
        var db = services.GetRequiredService<WoningPasDbContext>();
        var person = await FindOrAddAsync(db, insz, displayName, context.HttpContext.RequestAborted);
        context.Principal = new System.Security.Claims.ClaimsPrincipal(WoningPasClaims.CreateIdentity(
            CookieAuthenticationDefaults.AuthenticationScheme, person.Id, person.DisplayName, Roles.Citizen, null,
            verified && !string.IsNullOrWhiteSpace(email) ? email : null));
    }

    /// <summary>
    /// A citizen may sign in before the cadastre registered any right for them: they then see no dwellings, and
    /// their rights attach to this person when they arrive.
    /// </summary>
    private static async Task<Person> FindOrAddAsync(WoningPasDbContext db, Insz insz, string displayName,
        CancellationToken cancellationToken)
    {
        var existing = await db.People.SingleOrDefaultAsync(p => p.Insz == insz.Value, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var person = new Person { Id = Guid.CreateVersion7(), Insz = insz.Value, DisplayName = displayName };
        db.People.Add(person);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return person;
        }
        catch (DbUpdateException)
        {
            // A concurrent first sign-in of the same person won the unique index.
            db.Entry(person).State = EntityState.Detached;
            return await db.People.SingleAsync(p => p.Insz == insz.Value, cancellationToken);
        }
    }
}
