using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace WoningPas.Data.AccessLog;

/// <summary>
/// Appends entries to the access log, each chained to the one before. Appends are serialised by a transaction-scoped
/// advisory lock so that the chain has exactly one successor per entry, whichever replica writes.
/// </summary>
public sealed class AccessLogWriter(WoningPasDbContext db, TimeProvider time)
{
    // Any constant works as long as every writer uses the same one; this is "WPAL" in ASCII.
    private const long ChainLockKey = 0x5750_414C;

    public async Task<AccessLogEntry> AppendAsync(AccessLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);

        var ownsTransaction = db.Database.CurrentTransaction is null;
        var transaction = db.Database.CurrentTransaction
            ?? await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var (previousHash, nextId) = await ReserveNextLinkAsync(transaction, cancellationToken);
            var chained = new AccessLogEntry
            {
                Id = nextId,
                OccurredAt = AccessLogChain.TruncateToMicroseconds(time.GetUtcNow()),
                ActorId = entry.ActorId,
                ActingForId = entry.ActingForId,
                ActorRole = entry.ActorRole,
                ActorOrganisation = entry.ActorOrganisation,
                Action = entry.Action,
                ObjectKind = entry.ObjectKind,
                ObjectId = entry.ObjectId,
                DwellingId = entry.DwellingId,
                Purpose = entry.Purpose,
                Outcome = entry.Outcome,
                ClientAddress = entry.ClientAddress,
                CorrelationId = entry.CorrelationId,
                PreviousHash = previousHash,
            };
            chained.Hash = AccessLogChain.ComputeHash(previousHash, chained);

            db.AccessLog.Add(chained);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(chained).State = EntityState.Detached;

            if (ownsTransaction)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return chained;
        }
        finally
        {
            if (ownsTransaction)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private async Task<(byte[] PreviousHash, long NextId)> ReserveNextLinkAsync(
        IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction.GetDbTransaction())
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = ChainLockKey } } },
                new NpgsqlBatchCommand(
                    "SELECT (SELECT hash FROM access_log ORDER BY id DESC LIMIT 1), " +
                    "nextval(pg_get_serial_sequence('access_log', 'id'))"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var previousHash = reader.IsDBNull(0) ? AccessLogChain.Genesis : (byte[])reader.GetValue(0);
        return (previousHash, reader.GetInt64(1));
    }
}
