using Npgsql;

namespace WoningPas.Data;

/// <summary>
/// The channel on which PostgreSQL announces, at commit, which dwellings' passports changed (triggers of the
/// <c>PassportChangeNotifications</c> migration): a payload is either dwelling ids separated by spaces or
/// <see cref="Everything"/>. The API's passport cache listens to it; bulk loaders pause the insert triggers, whose
/// transition tables would otherwise hold every loaded row, and announce <see cref="Everything"/> instead. A payload
/// that starts with <see cref="MarkerPrefix"/> announces no change: a listener sends it to itself to learn when it has
/// heard everything committed before it.
/// </summary>
public static class PassportChanges
{
    public const string Channel = "passport_changed";
    public const string Everything = "*";
    public const string MarkerPrefix = "marker:";

    private const string InsertTrigger = "passport_changed_insert";

    /// <summary>
    /// Disables the insert trigger of those of <paramref name="tables"/> that have one, in the caller's transaction
    /// when given; returns the tables to hand to <see cref="ResumeInsertsAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PauseInsertsAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var paused = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.relname)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE t.tgname = $1 AND n.nspname = 'public' AND c.relname = ANY($2)
            ORDER BY 1
            """, connection, transaction) { Parameters = { new() { Value = InsertTrigger }, new() { Value = tables.ToArray() } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                paused.Add(reader.GetString(0));
            }
        }

        foreach (var table in paused)
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} DISABLE TRIGGER {InsertTrigger}", cancellationToken);
        }

        return paused;
    }

    /// <summary>Enables the triggers again and announces that everything changed (delivered when the transaction commits).</summary>
    public static async Task ResumeInsertsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyList<string> paused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(paused);
        foreach (var table in paused)
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} ENABLE TRIGGER {InsertTrigger}", cancellationToken);
        }

        await ExecuteAsync(connection, transaction, $"SELECT pg_notify('{Channel}', '{Everything}')", cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // table names come from the catalogue, formatted and quoted by PostgreSQL itself
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
