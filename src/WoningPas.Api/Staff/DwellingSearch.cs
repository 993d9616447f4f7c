using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Domain;

namespace WoningPas.Api.Staff;

public enum SearchKind
{
    Address,
    CaPaKey,
    Insz,
}

public sealed record DwellingHit(Guid Id, string Address, IReadOnlyList<string> CaPaKeys);

public sealed record SearchOutcome(SearchKind Kind, IReadOnlyList<DwellingHit> Hits, bool Truncated);

/// <summary>
/// Staff find a dwelling by address, CaPaKey or a holder's INSZ. The kind follows from what was typed: a valid INSZ,
/// else a CaPaKey, else an address. A search always has a purpose, and is recorded once per dwelling found (so its
/// holders see it) or once without a dwelling when nothing was found. The INSZ itself is never logged.
/// </summary>
public sealed class DwellingSearch(WoningPasDbContext db, AccessRecorder recorder, TimeProvider time, KeyRingCache keys)
{
    public const int MaxHits = 20;

    public const string QueryField = "query";

    public static Dictionary<string, string[]> Validate(string? query, string? purpose)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var text = query?.Trim() ?? "";
        if (text.Length < 2)
        {
            errors[QueryField] = ["Vul een adres, een CaPaKey of een INSZ in."];
        }
        else if (text.Length > 200)
        {
            errors[QueryField] = ["De zoekterm is te lang (hoogstens 200 tekens)."];
        }

        // Every search says why: the purpose goes into the access log with each dwelling found.
        StaffPurpose.Validate(purpose, errors);
        return errors;
    }

    public async Task<SearchOutcome> SearchAsync(Actor actor, string query, string purpose,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Trim();
        var (kind, dwellings) = Insz.TryParse(text, out var insz)
            ? (SearchKind.Insz, await HeldByInszAsync(insz, cancellationToken))
            : CaPaKey.TryParse(text, out var caPaKey)
                ? (SearchKind.CaPaKey, db.Dwellings.Where(d => d.Building.Parcels.Any(p => p.CaPaKey == caPaKey.Value)))
                : (SearchKind.Address, ByAddress(text));

        var found = await dwellings.AsNoTracking()
            .OrderBy(d => d.Address.Municipality).ThenBy(d => d.Address.Street).ThenBy(d => d.Address.HouseNumber)
            .ThenBy(d => d.Address.BoxNumber)
            .Take(MaxHits + 1)
            .Select(d => new { d.Id, d.Address, CaPaKeys = d.Building.Parcels.OrderBy(p => p.CaPaKey).Select(p => p.CaPaKey).ToList() })
            .ToListAsync(cancellationToken);
        var hits = found.Take(MaxHits).Select(d => new DwellingHit(d.Id, d.Address.Label, d.CaPaKeys)).ToList();

        var objectId = kind.ToString().ToLowerInvariant();
        if (hits.Count == 0)
        {
            await recorder.RecordAsync(actor, AccessAction.Search, "dwelling-search", objectId, null, purpose,
                AccessOutcome.Allowed, cancellationToken);
        }

        foreach (var hit in hits)
        {
            await recorder.RecordAsync(actor, AccessAction.Search, "dwelling-search", objectId, hit.Id, purpose,
                AccessOutcome.Allowed, cancellationToken);
        }

        return new SearchOutcome(kind, hits, found.Count > MaxHits);
    }

    /// <summary>
    /// The one place an INSZ meets the database: through the keyed blind index under every key version still in use,
    /// never a clear INSZ column (there is none).
    /// </summary>
    private async Task<IQueryable<Data.Dwellings.Dwelling>> HeldByInszAsync(Insz insz, CancellationToken cancellationToken)
    {
        var today = time.Today();
        var ring = await keys.GetAsync(cancellationToken);
        var indexes = ring.BlindIndexes(PersonFields.InszIndexPurpose, insz.Value);
        return db.Dwellings.Where(d => d.Rights.Any(r => indexes.Contains(r.Holder.InszIndex)
            && r.ValidFrom <= today && (r.ValidUntil == null || r.ValidUntil >= today)));
    }

    /// <summary>
    /// "Kerkstraat 12, Gent", "Kerkstraat 12 9000" or just a street: every word must occur in the street, the house
    /// number, the postal code or the municipality.
    /// </summary>
    private IQueryable<Data.Dwellings.Dwelling> ByAddress(string text)
    {
        var dwellings = db.Dwellings.AsQueryable();
        var words = text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(6);
        foreach (var word in words)
        {
            var pattern = "%" + EscapeLike(word) + "%";
            dwellings = dwellings.Where(d =>
                EF.Functions.ILike(d.Address.Street, pattern, "\\")
                || d.Address.HouseNumber == word
                || d.Address.PostalCode == word
                || EF.Functions.ILike(d.Address.Municipality, pattern, "\\"));
        }

        return dwellings;
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
