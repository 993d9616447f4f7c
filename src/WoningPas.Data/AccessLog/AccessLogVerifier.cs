using Microsoft.EntityFrameworkCore;

namespace WoningPas.Data.AccessLog;

/// <summary>The outcome of walking the chain: how many entries were checked and the first link that does not hold.</summary>
public sealed record ChainVerification(long EntriesChecked, long? BrokenAtId, string? Problem)
{
    public bool IsIntact => BrokenAtId is null;
}

/// <summary>
/// Walks the access log in id order and recomputes every hash. A changed row no longer matches its hash; a removed or
/// inserted row breaks the next row's link to its predecessor. Ids may have gaps (a sequence value taken by a batch
/// that failed), so the chain, not the numbering, is what counts.
/// </summary>
public static class AccessLogVerifier
{
    private const int PageSize = 5_000;

    /// <summary>Verifies the log of the database at <paramref name="connectionString"/> (a restored or imported copy).</summary>
    public static async Task<ChainVerification> VerifyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        return await VerifyAsync(db, null, cancellationToken);
    }

    public static Task<ChainVerification> VerifyAsync(WoningPasDbContext db, IProgress<long>? progress,
        CancellationToken cancellationToken) =>
        VerifyFromAsync(db, null, AccessLogChain.Genesis, progress, cancellationToken);

    /// <summary>
    /// Verifies the entries after <paramref name="afterId"/>, whose hash is taken to be <paramref name="afterHash"/> (a
    /// trusted anchor), so that anchoring does not walk millions of entries again each time; null walks from the start.
    /// </summary>
    public static async Task<ChainVerification> VerifyFromAsync(WoningPasDbContext db, long? afterId, byte[] afterHash,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(afterHash);
        var previous = afterHash;
        long? previousId = afterId;
        long checkedCount = 0;
        while (true)
        {
            var after = previousId ?? long.MinValue;
            var page = await db.AccessLog.AsNoTracking()
                .Where(e => e.Id > after)
                .OrderBy(e => e.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return new ChainVerification(checkedCount, null, null);
            }

            foreach (var entry in page)
            {
                if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
                {
                    return new ChainVerification(checkedCount, entry.Id, previousId is null
                        ? $"entry {entry.Id} is the first entry but does not start from the genesis hash: entries before it were removed"
                        : $"entry {entry.Id} does not link to entry {previousId}: an entry between them was removed or inserted, or entry {previousId} was changed after {entry.Id} was written");
                }

                if (!AccessLogChain.ComputeHash(previous, entry).AsSpan().SequenceEqual(entry.Hash))
                {
                    return new ChainVerification(checkedCount, entry.Id,
                        $"entry {entry.Id} no longer matches its hash: its contents were changed");
                }

                previous = entry.Hash;
                previousId = entry.Id;
                checkedCount++;
            }

            progress?.Report(checkedCount);
        }
    }
}
