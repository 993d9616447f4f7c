using WoningPas.Data.Dwellings;

namespace WoningPas.Api.Dwellings;

/// <summary>
/// The one rule for a citizen's access, in one place: a holder sees a dwelling while they hold a real right on it
/// today. Every citizen query starts from here so that no endpoint can forget it; <see cref="HolderRight"/> applies the
/// same rule to rights already read.
/// </summary>
public static class DwellingAccess
{
    public static IQueryable<RealRight> ActiveOn(this IQueryable<RealRight> rights, DateOnly today) =>
        rights.Where(r => r.ValidFrom <= today && (r.ValidUntil == null || r.ValidUntil >= today));

    public static IQueryable<Dwelling> HeldBy(this IQueryable<Dwelling> dwellings, Guid holderId, DateOnly today) =>
        dwellings.Where(d => d.Rights.Any(r =>
            r.HolderId == holderId && r.ValidFrom <= today && (r.ValidUntil == null || r.ValidUntil >= today)));
}

/// <summary>One real right on a dwelling, as far as access goes: whose it is and when it holds.</summary>
public sealed record HolderRight(Guid HolderId, DateOnly ValidFrom, DateOnly? ValidUntil)
{
    /// <summary>The rule of <see cref="DwellingAccess.HeldBy"/>: the holder's right, and it holds today.</summary>
    public bool GivesAccess(Guid holderId, DateOnly today) =>
        HolderId == holderId && ValidFrom <= today && (ValidUntil == null || ValidUntil >= today);
}
