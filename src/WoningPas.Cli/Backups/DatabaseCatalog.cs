using Npgsql;

namespace WoningPas.Cli.Backups;

/// <summary>What a backup or an export records about a database: its tables, their row counts, its schema version.</summary>
internal static class DatabaseCatalog
{
    /// <summary>The EF Core history table (see DatabaseRegistration): part of a backup, not of the data.</summary>
    public const string MigrationsTable = "__migrations";

    public static async Task<List<string>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    public static async Task<SortedDictionary<string, long>> RowCountsAsync(NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(connection, cancellationToken))
        {
#pragma warning disable CA2100 // table names come from pg_tables and are quoted
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM public.{Quote(table)}", connection);
#pragma warning restore CA2100
            counts[table] = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return counts;
    }

    /// <summary>The last applied migration: a backup or export restores only onto the code that understands it.</summary>
    public static async Task<string> SchemaVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT max(migration_id) FROM public.__migrations", connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string
            ?? throw new BackupException("The database has no applied migration; run ./build.sh cli migrate first.");
    }

    /// <summary>
    /// The same database without a command timeout: counting, dumping or loading millions of rows takes minutes,
    /// and an operator's command should finish rather than give up after the default 30 seconds.
    /// </summary>
    public static string WithoutCommandTimeout(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString;

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
