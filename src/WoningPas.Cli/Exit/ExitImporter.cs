using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Cli.Backups;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Exit;

internal sealed record ImportSummary(long Rows, ChainVerification AccessLog, TimeSpan Elapsed);

/// <summary>
/// Loads an export into an empty instance on the same schema version, in one transaction: every file is decrypted
/// as it streams, staged as jsonb, checked against the manifest (header, columns, row count, SHA-256) and only then
/// inserted; any mismatch rolls the whole import back. Sequences are moved past the imported ids, and the imported
/// access log's chain is verified at the end. Encrypted columns arrive as plain text and are encrypted under the
/// target's key ring (its own KEK and active data key, made by its migrate step), their blind indexes recomputed with
/// the target's index key.
/// </summary>
internal sealed class ExitImporter(string databaseConnectionString, KeyRing ring, TextWriter progress)
{
    private readonly string _connectionString = DatabaseCatalog.WithoutCommandTimeout(databaseConnectionString);

    public async Task<ImportSummary> ImportAsync(string directory, RSA recipientPrivateKey, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var (manifest, manifestBytes) = await ExportManifest.ReadAsync(directory, cancellationToken);
        if (manifest.RecipientKeySha256 != RecipientKey.Fingerprint(recipientPrivateKey))
        {
            throw new ExitException($"The export was made for recipient key {manifest.RecipientKeySha256[..16]}…, not for this key.");
        }

        byte[] key;
        try
        {
            key = recipientPrivateKey.Decrypt(Convert.FromBase64String(manifest.WrappedKey), RSAEncryptionPadding.OaepSHA256);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            throw new ExitException("The export's key cannot be unwrapped with this private key.");
        }

        ExportManifest.CheckSeal(directory, manifestBytes, key);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var schemaVersion = await DatabaseCatalog.SchemaVersionAsync(connection, cancellationToken);
        if (schemaVersion != manifest.SchemaVersion)
        {
            throw new ExitException(
                $"The export has schema version {manifest.SchemaVersion}; this instance is on {schemaVersion}. Import with the release that made the export.");
        }

        var tables = (await ExportTables.ReadAsync(connection, cancellationToken)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var counts = await DatabaseCatalog.RowCountsAsync(connection, cancellationToken);
        var occupied = tables.Keys.Where(t => counts.GetValueOrDefault(t) > 0).Select(t => $"{t} ({counts[t]:N0} rows)").ToList();
        if (occupied.Count > 0)
        {
            throw new ExitException($"Refused: the target instance is not empty: {string.Join(", ", occupied)}. Import into a new, migrated database.");
        }

        var missing = tables.Keys.Except(manifest.Files.Select(f => f.Entity)).ToList();
        if (missing.Count > 0)
        {
            throw new ExitException($"The export has no file for {string.Join(", ", missing)}.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var staging = new NpgsqlCommand(
            "SET LOCAL TIME ZONE 'UTC'; SET LOCAL maintenance_work_mem = '512MB'; CREATE TEMPORARY TABLE import_rows (doc jsonb NOT NULL) ON COMMIT DROP",
            connection, transaction))
        {
            await staging.ExecuteNonQueryAsync(cancellationToken);
        }

        // Maintaining every secondary index and checking every foreign key row by row cost most of the import's time:
        // they are dropped here and rebuilt once after the load, inside the same transaction (DDL in PostgreSQL is
        // transactional, so a failed import rolls them back with the rows).
        var deferred = await DeferredSchema.DropAsync(connection, transaction, tables.Keys, cancellationToken);
        var paused = await PassportChanges.PauseInsertsAsync(connection, transaction, tables.Keys, cancellationToken);
        long total = 0;
        foreach (var file in manifest.Files)
        {
            if (!tables.TryGetValue(file.Entity, out var table))
            {
                throw new ExitException($"The export holds {file.Entity}, which this instance does not have.");
            }

            total += await LoadAsync(connection, transaction, directory, file, table, manifest.SchemaVersion, key, ring, cancellationToken);
            await progress.WriteLineAsync($"Imported {file.Entity}: {file.Rows:N0} rows ({stopwatch.Elapsed.TotalSeconds:F0} s).");
        }

        await progress.WriteLineAsync($"Rebuilding {deferred.Indexes.Count} indexes and {deferred.ForeignKeys.Count} foreign keys ...");
        await deferred.RestoreAsync(connection, transaction, cancellationToken);
        await PassportChanges.ResumeInsertsAsync(connection, transaction, paused, cancellationToken);
        await progress.WriteLineAsync($"Indexes and foreign keys rebuilt ({stopwatch.Elapsed.TotalSeconds:F0} s).");
        await ResetSequencesAsync(connection, transaction, tables.Values, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        CryptographicOperations.ZeroMemory(key);

        var chain = await AccessLogVerifier.VerifyAsync(_connectionString, cancellationToken);
        return new(total, chain, stopwatch.Elapsed);
    }

    private static async Task<long> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string directory,
        ExportFile file, ExportTable table, string schemaVersion, byte[] key, KeyRing ring, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, Path.GetFileName(file.File));
        if (!File.Exists(path))
        {
            throw new ExitException($"{file.File} is missing from the export.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        await using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        await using (var plain = new SealedFileReader(input, key, Path.GetFileName(file.File)))
        using (var reader = new StreamReader(plain, new UTF8Encoding(false, throwOnInvalidBytes: true)))
        {
            var headerLine = await reader.ReadLineAsync(cancellationToken) ?? throw new ExitException($"{file.File} is empty.");
            hash.AppendData(Encoding.UTF8.GetBytes(headerLine + "\n"));
            CheckHeader(file, table, schemaVersion, headerLine);

            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY import_rows (doc) FROM STDIN (FORMAT BINARY)", cancellationToken);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
                rows++;
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(table.Encrypted is { } encrypted ? EncryptedRows.Encrypt(line, encrypted, ring)
                    : table.HoldsDocumentContents ? EncryptedRows.EncryptContent(line, ring)
                    : line, NpgsqlDbType.Jsonb, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (sha256 != file.Sha256 || rows != file.Rows)
        {
            throw new ExitException(
                $"{file.File} does not match the manifest ({rows:N0} rows, SHA-256 {sha256}; expected {file.Rows:N0} rows, {file.Sha256}). Nothing was imported.");
        }

        var columns = string.Join(", ", table.Columns.Select(c => DatabaseCatalog.Quote(c.Name)));
#pragma warning disable CA2100 // identifiers come from the catalogue and are quoted
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO {table.Quoted} ({columns}) OVERRIDING SYSTEM VALUE
            SELECT {string.Join(", ", table.Columns.Select(c => "r." + DatabaseCatalog.Quote(c.Name)))}
            FROM import_rows i CROSS JOIN LATERAL jsonb_populate_record(NULL::{table.Quoted}, i.doc) r;
            TRUNCATE import_rows;
            """, connection, transaction);
#pragma warning restore CA2100
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return rows;
    }

    private static void CheckHeader(ExportFile file, ExportTable table, string schemaVersion, string headerLine)
    {
        ExportFileHeader? header;
        try
        {
            header = JsonSerializer.Deserialize<ExportFileHeader>(headerLine, ExportManifest.LineJson);
        }
        catch (JsonException)
        {
            header = null;
        }

        if (header is null || header.Format != ExportManifest.CurrentFormat || header.Entity != file.Entity
            || header.Layout != table.Layout || header.SchemaVersion != schemaVersion)
        {
            throw new ExitException(
                $"{file.File} does not start with the header of {file.Entity} (layout {table.Layout}) at schema {schemaVersion}.");
        }

        if (!header.Columns.SequenceEqual(table.FileColumns))
        {
            throw new ExitException(
                $"{file.File} has columns {string.Join(", ", header.Columns.Select(c => c.Name))}; table {table.Name} expects {string.Join(", ", table.FileColumns.Select(c => c.Name))}.");
        }
    }

    private static async Task ResetSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IEnumerable<ExportTable> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            foreach (var column in table.Columns)
            {
#pragma warning disable CA2100 // identifiers come from the catalogue and are quoted
                await using var command = new NpgsqlCommand($"""
                    SELECT setval(s, m) FROM pg_get_serial_sequence($1, $2) s,
                        (SELECT max({DatabaseCatalog.Quote(column.Name)}) AS m FROM {table.Quoted}) x
                    WHERE s IS NOT NULL AND m IS NOT NULL
                    """, connection, transaction)
#pragma warning restore CA2100
                {
                    Parameters = { new() { Value = table.Quoted }, new() { Value = column.Name } },
                };
                if (column.Type is "integer" or "bigint" or "smallint")
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }
    }
}
