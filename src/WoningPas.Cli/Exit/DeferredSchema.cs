using Npgsql;

namespace WoningPas.Cli.Exit;

/// <summary>
/// The secondary indexes and foreign keys of the tables an import loads, dropped before the load and rebuilt after it
/// in the import's own transaction: one index build and one validating join per constraint instead of an index
/// insertion and a foreign-key lookup per row. Primary keys and indexes that back a constraint (unique, exclusion)
/// stay; a unique index that is dropped is rebuilt as unique, so a duplicate still fails the import.
/// </summary>
internal sealed record DeferredSchema(List<string> Indexes, List<(string Table, string Name, string Definition)> ForeignKeys)
{
    public static async Task<DeferredSchema> DropAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var names = tables.ToArray();
        var foreignKeys = new List<(string, string, string)>();
        await using (var command = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.relname), f.conname, pg_get_constraintdef(f.oid)
            FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE f.contype = 'f' AND n.nspname = 'public' AND c.relname = ANY($1)
            ORDER BY 1, 2
            """, connection, transaction) { Parameters = { new() { Value = names } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                foreignKeys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var indexes = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, ic.relname), pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE n.nspname = 'public' AND c.relname = ANY($1) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            ORDER BY 1
            """, connection, transaction) { Parameters = { new() { Value = names } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, name, _) in foreignKeys)
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} DROP CONSTRAINT {Quote(name)}", cancellationToken);
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, transaction, $"DROP INDEX {name}", cancellationToken);
        }

        return new([.. indexes.Select(i => i.Definition)], foreignKeys);
    }

    public async Task RestoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var definition in Indexes)
        {
            await ExecuteAsync(connection, transaction, definition, cancellationToken);
        }

        foreach (var (table, name, definition) in ForeignKeys)
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} ADD CONSTRAINT {Quote(name)} {definition}", cancellationToken);
        }
    }

    private static string Quote(string identifier) => Backups.DatabaseCatalog.Quote(identifier);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // definitions and names come from the catalogue (pg_get_indexdef, pg_get_constraintdef, quoted)
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
