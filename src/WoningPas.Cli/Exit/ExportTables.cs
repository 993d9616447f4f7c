using Npgsql;
using WoningPas.Cli.Backups;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Exit;

internal sealed record ExportTable(string Name, List<ExportColumn> Columns, List<string> PrimaryKey)
{
    /// <summary>Layout version of a file whose encrypted columns are written decrypted and without their blind index.</summary>
    public const int DecryptedLayout = 2;

    public string Quoted => "public." + DatabaseCatalog.Quote(Name);

    /// <summary>The table's encrypted columns, from <see cref="EncryptedColumns"/>; null for a table without any.</summary>
    public EncryptedTable? Encrypted { get; } = EncryptedColumns.Tables.SingleOrDefault(t => t.Table == Name);

    /// <summary>
    /// 1 for a table written as stored; <see cref="DecryptedLayout"/> for one with encrypted columns, which the export
    /// holds as plain text (the file itself is encrypted for the recipient) so that another instance can re-encrypt
    /// them under its own keys. Their blind index is left out: the importer recomputes it with the target's index key.
    /// </summary>
    public int Layout => Encrypted is null && !HoldsDocumentContents ? 1 : DecryptedLayout;

    /// <summary>
    /// document_contents: its content is in the chunked format (<see cref="EncryptedColumns.DocumentContents"/>) and is
    /// exported as the plain bytes (still bytea), so another provider can read and re-encrypt it.
    /// </summary>
    public bool HoldsDocumentContents => Name == EncryptedColumns.DocumentContents.Table;

    /// <summary>The columns as the export file holds them (the header's list).</summary>
    public List<ExportColumn> FileColumns => Encrypted is not { } encrypted
        ? Columns
        : [.. Columns
            .Where(c => c.Name != encrypted.Index?.Column)
            .Select(c => encrypted.Columns.Contains(c.Name) ? c with { Type = "text" } : c)];
}

/// <summary>
/// The tables an export holds: every table of the public schema except the migration history, each with its stored
/// (not generated) columns and primary key, ordered so that a table comes after the tables its foreign keys name.
/// Read from the catalogue, so a table added by a later migration is exported without changing this code. The
/// instance's wrapped data keys are left out too: they are of no use under another provider's KEK, and the target's
/// migrate step makes its own.
/// </summary>
internal static class ExportTables
{
    public static async Task<List<ExportTable>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, List<ExportColumn>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY c.relname, a.attnum
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                if (!columns.TryGetValue(table, out var list))
                {
                    columns[table] = list = [];
                }

                list.Add(new(reader.GetString(1), reader.GetString(2)));
            }
        }

        columns.Remove(DatabaseCatalog.MigrationsTable);
        columns.Remove(KeyStore.Table);
        var keys = await PairsAsync(connection, """
            SELECT c.relname, a.attname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE n.nspname = 'public' AND i.indisprimary
            ORDER BY c.relname, k.position
            """, cancellationToken);
        var references = await PairsAsync(connection, """
            SELECT DISTINCT c.relname, r.relname
            FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND f.contype = 'f' AND f.conrelid <> f.confrelid
            """, cancellationToken);

        var ordered = new List<ExportTable>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = columns.Keys.Order(StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            // Alphabetical among the tables whose references are all placed: the same order on every run.
            var next = remaining.FirstOrDefault(table => references
                    .Where(r => r.Key == table && columns.ContainsKey(r.Value))
                    .All(r => placed.Contains(r.Value)))
                ?? throw new ExitException($"The foreign keys between {string.Join(", ", remaining)} form a cycle; no load order exists.");
            remaining.Remove(next);
            placed.Add(next);
            ordered.Add(new(next, columns[next], [.. keys.Where(k => k.Key == next).Select(k => k.Value)]));
        }

        return ordered;
    }

    private static async Task<List<KeyValuePair<string, string>>> PairsAsync(NpgsqlConnection connection, string sql,
        CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // constant catalogue queries
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pairs = new List<KeyValuePair<string, string>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }
}
