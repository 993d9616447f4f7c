using Microsoft.EntityFrameworkCore;

namespace WoningPas.Data.AccessLog;

/// <summary>The outcome of walking the chain: how many entries held, and the first one that did not.</summary>
public sealed record AccessLogChainReport(long Entries, long? BrokenAtId, string? Problem)
{
    public bool Intact => BrokenAtId is null;
}

/// <summary>
/// Walks the access log in id order and recomputes every hash with <see cref="AccessLogChain"/>: a changed,
/// removed or inserted row breaks the chain at that row. Streams, so it runs on a log of any length.
/// </summary>
public static class AccessLogChainVerifier
{
    public static async Task<AccessLogChainReport> VerifyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        var previous = AccessLogChain.Genesis;
        long count = 0;
        await foreach (var entry in db.AccessLog.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable()
                           .WithCancellation(cancellationToken))
        {
            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return new(count, entry.Id, "its previous hash is not the hash of the entry before it");
            }

            if (!AccessLogChain.ComputeHash(previous, entry).AsSpan().SequenceEqual(entry.Hash))
            {
                return new(count, entry.Id, "its content does not match its hash");
            }

            previous = entry.Hash;
            count++;
        }

        return new(count, null, null);
    }
}
