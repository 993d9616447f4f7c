using Npgsql;
using NpgsqlTypes;
using WoningPas.Data.AccessLog;

namespace WoningPas.Cli.Tests;

/// <summary>Writes access-log rows the way the Api does (chained), or with a wrong hash to break the chain.</summary>
internal static class AccessLogRows
{
    public static async Task AppendAsync(string connectionString, int count, bool breakChain = false)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        byte[] previous;
        await using (var last = new NpgsqlCommand("SELECT hash FROM access_log ORDER BY id DESC LIMIT 1", connection, transaction))
        {
            previous = await last.ExecuteScalarAsync() as byte[] ?? AccessLogChain.Genesis;
        }

        for (var i = 0; i < count; i++)
        {
            long id;
            await using (var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('access_log', 'id'))", connection, transaction))
            {
                id = (long)(await next.ExecuteScalarAsync())!;
            }

            var entry = new AccessLogEntry
            {
                Id = id,
                OccurredAt = AccessLogChain.TruncateToMicroseconds(new DateTimeOffset(2026, 11, 23, 10, 0, i, TimeSpan.Zero)),
                ActorId = "subject-test",
                ActorRole = "citizen",
                Action = AccessAction.Read,
                ObjectKind = "passport",
                ObjectId = "d1000000-0000-4000-8000-000000000001",
                DwellingId = Guid.Parse("d1000000-0000-4000-8000-000000000001"),
                Purpose = "own dwelling",
                Outcome = AccessOutcome.Allowed,
                CorrelationId = "test-" + i,
                PreviousHash = previous,
            };
            entry.Hash = AccessLogChain.ComputeHash(previous, entry);
            if (breakChain)
            {
                entry.Hash[0] ^= 0xff;
            }

            await using var insert = new NpgsqlCommand(
                "INSERT INTO access_log (id, occurred_at, actor_id, actor_role, action, object_kind, object_id, dwelling_id, purpose, outcome, correlation_id, previous_hash, hash) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", connection, transaction)
            {
                Parameters =
                {
                    new() { Value = entry.Id },
                    new() { Value = entry.OccurredAt },
                    new() { Value = entry.ActorId },
                    new() { Value = entry.ActorRole },
                    new() { Value = entry.Action.ToString() },
                    new() { Value = entry.ObjectKind },
                    new() { Value = entry.ObjectId },
                    new() { Value = entry.DwellingId },
                    new() { Value = entry.Purpose },
                    new() { Value = entry.Outcome.ToString() },
                    new() { Value = entry.CorrelationId },
                    new() { Value = entry.PreviousHash, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new() { Value = entry.Hash, NpgsqlDbType = NpgsqlDbType.Bytea },
                },
            };
            await insert.ExecuteNonQueryAsync();
            previous = entry.Hash;
        }

        await transaction.CommitAsync();
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
