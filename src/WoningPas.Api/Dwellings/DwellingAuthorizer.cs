using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Account;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.Api.Sharing;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Dwellings;

/// <summary>
/// What a caller may read of one dwelling: which sections, for which purpose (as the access log records it), on whose
/// behalf, and through which share. An empty set of sections means the dwelling is known to the caller but nothing
/// of it is theirs to read (403); no grant at all means the dwelling is not visible to them (404, like an unknown id).
/// </summary>
public sealed record DwellingGrant(Guid DwellingId, FrozenSet<string> Sections, string Purpose, Guid? ShareId,
    Guid? ActingForId)
{
    public bool IsHolder => Purpose == DwellingAuthorizer.OwnDossierPurpose;

    public bool Allows(string section) => Sections.Contains(section);
}

/// <summary>
/// The one place that decides who reads what of a dwelling, per kind of caller:
/// a citizen holding a real right today reads everything; a citizen whose verified e-mail received an unexpired,
/// unrevoked share reads its sections; a link holder reads the sections of the link's share; an agency editor reads
/// the sections their agency owns; a machine client reads the sections its scopes name. Nobody else reads anything.
/// </summary>
public sealed class DwellingAuthorizer(WoningPasDbContext db, TimeProvider time, KeyRingCache keys)
{
    public const string OwnDossierPurpose = "own-dossier";
    public const string AgencyPurpose = "agency-dossier";
    public const string MachinePurpose = "machine-client";
    public const string SharePurposePrefix = "shared:";

    public const string LinkPurpose = "shared-link";

    /// <summary>The purpose recorded for a caller who got no grant.</summary>
    public static string DefaultPurpose(string role) => role switch
    {
        Roles.Editor => AgencyPurpose,
        Roles.MachineClient => MachinePurpose,
        Roles.LinkHolder => LinkPurpose,
        _ => OwnDossierPurpose,
    };

    public static string SharePurpose(Guid shareId) => SharePurposePrefix + shareId.ToString("D");

    /// <summary>The agency that owns each section; derived and owner-made sections belong to no agency.</summary>
    public static FrozenDictionary<string, SourceAgency?> SectionOwners { get; } = new Dictionary<string, SourceAgency?>
    {
        ["epc"] = SourceAgency.EnergyAgency,
        ["renovation"] = null,
        ["asbestos"] = SourceAgency.WasteAgency,
        ["soil"] = SourceAgency.WasteAgency,
        ["flood"] = SourceAgency.EnvironmentDepartment,
        ["permits"] = SourceAgency.Municipality,
        ["conformity"] = SourceAgency.HousingAgency,
        ["installations"] = SourceAgency.EnergyAgency,
        ["documents"] = null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SourceAgency> AgencyOfOrganisation = new Dictionary<string, SourceAgency>
    {
        [Organisations.EnergyAgency] = SourceAgency.EnergyAgency,
        [Organisations.WasteAgency] = SourceAgency.WasteAgency,
        [Organisations.EnvironmentDepartment] = SourceAgency.EnvironmentDepartment,
        [Organisations.HousingAgency] = SourceAgency.HousingAgency,
        [Organisations.Municipality] = SourceAgency.Municipality,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public async Task<DwellingGrant?> AuthorizeAsync(ClaimsPrincipal user, Guid dwellingId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var actor = Actor.From(user);
        if (actor is null)
        {
            return null;
        }

        var today = time.Today();
        return actor.Role switch
        {
            Roles.Citizen => await CitizenAsync(actor, user, dwellingId, today, cancellationToken),
            Roles.LinkHolder => await LinkHolderAsync(user, dwellingId, today, cancellationToken),
            Roles.Editor => await IfExistsAsync(dwellingId, AgencyPurpose, AgencySections(actor.Organisation), cancellationToken),
            Roles.MachineClient => await IfExistsAsync(dwellingId, MachinePurpose, ScopedSections(user), cancellationToken),
            _ => null,
        };
    }

    /// <summary>What a holder of <paramref name="dwellingId"/> reads: all of it, as their own dossier.</summary>
    public static DwellingGrant HolderGrant(Guid dwellingId) =>
        new(dwellingId, SectionOwners.Keys.ToFrozenSet(StringComparer.Ordinal), OwnDossierPurpose, null, null);

    private async Task<DwellingGrant?> CitizenAsync(Actor actor, ClaimsPrincipal user, Guid dwellingId, DateOnly today,
        CancellationToken cancellationToken)
    {
        var holds = await db.Dwellings.AsNoTracking().HeldBy(actor.SubjectId, today)
            .AnyAsync(d => d.Id == dwellingId, cancellationToken);
        if (holds)
        {
            return HolderGrant(dwellingId);
        }

        var email = user.FindFirst(WoningPasClaims.VerifiedEmail)?.Value;
        if (email is null)
        {
            return null;
        }

        var shares = await RecipientShares.FindAsync(keys, email, indexes => ActiveShares(today)
            .Where(s => s.DwellingId == dwellingId && indexes.Contains(s.RecipientEmailIndex!))
            .OrderBy(s => s.CreatedAt)
            .Select(s => new { s.Id, s.Sections, s.CreatedBy })
            .ToListAsync(cancellationToken), cancellationToken);
        // Several shares of the same dwelling with the same person add up; the oldest names the purpose.
        return shares.Count == 0
            ? null
            : new DwellingGrant(dwellingId, shares.SelectMany(s => s.Sections).ToFrozenSet(StringComparer.Ordinal),
                SharePurpose(shares[0].Id), shares[0].Id, shares[0].CreatedBy);
    }

    private async Task<DwellingGrant?> LinkHolderAsync(ClaimsPrincipal user, Guid dwellingId, DateOnly today,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirst(WoningPasClaims.Share)?.Value, out var shareId))
        {
            return null;
        }

        var share = await ActiveShares(today)
            .Where(s => s.Id == shareId && s.DwellingId == dwellingId && s.TokenHash != null)
            .Select(s => new { s.Sections, s.CreatedBy })
            .SingleOrDefaultAsync(cancellationToken);
        return share is null
            ? null
            : new DwellingGrant(dwellingId, share.Sections.ToFrozenSet(StringComparer.Ordinal), SharePurpose(shareId),
                shareId, share.CreatedBy);
    }

    /// <summary>The dwelling a link holder's share is about, when the share is still active.</summary>
    public async Task<Guid?> LinkDwellingAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!Guid.TryParse(user.FindFirst(WoningPasClaims.Share)?.Value, out var shareId))
        {
            return null;
        }

        return await ActiveShares(time.Today()).Where(s => s.Id == shareId)
            .Select(s => (Guid?)s.DwellingId).SingleOrDefaultAsync(cancellationToken);
    }

    private IQueryable<Data.Sharing.DwellingShare> ActiveShares(DateOnly today) =>
        db.DwellingShares.AsNoTracking().Where(s => s.RevokedAt == null && s.ExpiresOn >= today);

    private async Task<DwellingGrant?> IfExistsAsync(Guid dwellingId, string purpose, FrozenSet<string> sections,
        CancellationToken cancellationToken) =>
        await db.Dwellings.AnyAsync(d => d.Id == dwellingId, cancellationToken)
            ? new DwellingGrant(dwellingId, sections, purpose, null, null)
            : null;

    /// <summary>The agency an editor's organisation is, or null for an organisation that owns no section.</summary>
    public static SourceAgency? AgencyOf(string? organisation) =>
        organisation is not null && AgencyOfOrganisation.TryGetValue(organisation, out var agency) ? agency : null;

    private static FrozenSet<string> AgencySections(string? organisation) =>
        organisation is not null && AgencyOfOrganisation.TryGetValue(organisation, out var agency)
            ? SectionOwners.Where(s => s.Value == agency).Select(s => s.Key).ToFrozenSet(StringComparer.Ordinal)
            : FrozenSet<string>.Empty;

    private static FrozenSet<string> ScopedSections(ClaimsPrincipal user)
    {
        var scopes = user.FindAll(WoningPasClaims.Scope).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return SectionOwners.Keys.Where(section => scopes.Contains(MachineClients.ReadScope(section)))
            .ToFrozenSet(StringComparer.Ordinal);
    }
}
