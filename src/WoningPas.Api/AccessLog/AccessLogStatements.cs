using Npgsql;
using NpgsqlTypes;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.AccessLog;

/// <summary>
/// The statements of an append, shared by the group-commit writer (reads) and the in-transaction append (writes), so
/// that both take the same lock and chain the same way: lock, last hash, ids, then the rows, then commit.
/// </summary>
internal static class AccessLogStatements
{
    // Any constant works as long as every writer uses the same one; this is "WPAL" in ASCII.
    public const long ChainLockKey = 0x5750_414C;

    public const string InsertSql =
        "INSERT INTO access_log (id, occurred_at, actor_id, acting_for_id, actor_role, actor_organisation, action, " +
        "object_kind, object_id, dwelling_id, purpose, outcome, client_address, correlation_id, previous_hash, hash) " +
        "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

    private const string LockSql = "SELECT pg_advisory_xact_lock($1)";
    private const string LastHashSql = "SELECT hash FROM access_log ORDER BY id DESC LIMIT 1";
    private const string IdsSql = "SELECT nextval(pg_get_serial_sequence('access_log', 'id')) FROM generate_series(1, $1)";

    /// <summary>Takes the chain lock, then reads the head's hash and reserves <paramref name="count"/> ids.</summary>
    public static NpgsqlBatchCommand[] Head(int count) =>
    [
        new(LockSql) { Parameters = { new() { Value = ChainLockKey, NpgsqlDbType = NpgsqlDbType.Bigint } } },
        new(LastHashSql),
        new(IdsSql) { Parameters = { new() { Value = count, NpgsqlDbType = NpgsqlDbType.Integer } } },
    ];

    /// <summary>The entries with their ids and hashes, each linked to the one before, the first to the head.</summary>
    public static List<AccessLogEntry> Chain(IReadOnlyList<AccessLogEntry> entries, byte[] previous, IReadOnlyList<long> ids)
    {
        var chained = new List<AccessLogEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] with { Id = ids[i], PreviousHash = previous };
            entry.Hash = AccessLogChain.ComputeHash(previous, entry);
            previous = entry.Hash;
            chained.Add(entry);
        }

        return chained;
    }

    public static NpgsqlBatchCommand Insert(List<AccessLogEntry> chained) =>
        new(InsertSql)
        {
            Parameters =
            {
                Column(chained, e => e.Id, NpgsqlDbType.Bigint),
                Column(chained, e => e.OccurredAt, NpgsqlDbType.TimestampTz),
                Column(chained, e => e.ActorId, NpgsqlDbType.Text),
                Column(chained, e => e.ActingForId, NpgsqlDbType.Text),
                Column(chained, e => e.ActorRole, NpgsqlDbType.Text),
                Column(chained, e => e.ActorOrganisation, NpgsqlDbType.Text),
                Column(chained, e => e.Action.ToString(), NpgsqlDbType.Text),
                Column(chained, e => e.ObjectKind, NpgsqlDbType.Text),
                Column(chained, e => e.ObjectId, NpgsqlDbType.Text),
                Column(chained, e => e.DwellingId, NpgsqlDbType.Uuid),
                Column(chained, e => e.Purpose, NpgsqlDbType.Text),
                Column(chained, e => e.Outcome.ToString(), NpgsqlDbType.Text),
                Column(chained, e => e.ClientAddress, NpgsqlDbType.Text),
                Column(chained, e => e.CorrelationId, NpgsqlDbType.Text),
                Column(chained, e => e.PreviousHash, NpgsqlDbType.Bytea),
                Column(chained, e => e.Hash, NpgsqlDbType.Bytea),
            },
        };

    private static NpgsqlParameter Column<T>(List<AccessLogEntry> entries, Func<AccessLogEntry, T> value, NpgsqlDbType type) =>
        new() { Value = entries.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}
