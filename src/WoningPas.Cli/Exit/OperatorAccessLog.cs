using Npgsql;
using NpgsqlTypes;
using WoningPas.Data.AccessLog;

namespace WoningPas.Cli.Exit;

/// <summary>
/// Records an operator's bulk read (an exit export) in the access log, chained exactly as the Api's AccessLogWriter
/// chains: under the same transaction-scoped advisory lock, after the last hash.
/// </summary>
internal static class OperatorAccessLog
{
    // The Api's AccessLogWriter uses the same key ("WPAL"): one chain whoever appends.
    private const long ChainLockKey = 0x5750_414C;

    public static async Task<AccessLogEntry> AppendAsync(string connectionString, AccessLogEntry entry, TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        byte[] previous;
        long id;
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = ChainLockKey } } },
                new NpgsqlBatchCommand("SELECT hash FROM access_log ORDER BY id DESC LIMIT 1"),
                new NpgsqlBatchCommand("SELECT nextval(pg_get_serial_sequence('access_log', 'id'))"),
            },
        })
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            previous = await reader.ReadAsync(cancellationToken) ? (byte[])reader.GetValue(0) : AccessLogChain.Genesis;
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            id = reader.GetInt64(0);
        }

        var chained = entry with
        {
            Id = id,
            OccurredAt = AccessLogChain.TruncateToMicroseconds(time.GetUtcNow()),
            PreviousHash = previous,
        };
        chained.Hash = AccessLogChain.ComputeHash(previous, chained);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO access_log (id, occurred_at, actor_id, acting_for_id, actor_role, actor_organisation, action, object_kind,
                                    object_id, dwelling_id, purpose, outcome, client_address, correlation_id, previous_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = chained.Id },
                new() { Value = chained.OccurredAt },
                new() { Value = chained.ActorId },
                new() { Value = (object?)chained.ActingForId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = chained.ActorRole },
                new() { Value = (object?)chained.ActorOrganisation ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = chained.Action.ToString() },
                new() { Value = chained.ObjectKind },
                new() { Value = (object?)chained.ObjectId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)chained.DwellingId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = chained.Purpose },
                new() { Value = chained.Outcome.ToString() },
                new() { Value = (object?)chained.ClientAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)chained.CorrelationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = chained.PreviousHash, NpgsqlDbType = NpgsqlDbType.Bytea },
                new() { Value = chained.Hash, NpgsqlDbType = NpgsqlDbType.Bytea },
            },
        })
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return chained;
    }
}
