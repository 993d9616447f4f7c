using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using WoningPas.Cli.Backups;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Exit;

internal sealed record ExportSummary(ExportManifest Manifest, long Rows, TimeSpan Elapsed);

/// <summary>
/// The exit export: every table as JSON Lines (a header line, then one <c>row_to_json</c> object per row in primary-key
/// order), read from one snapshot and encrypted for the recipient as it is written, so no plain personal data touches
/// the disk. The export is itself an access to all personal data: it is recorded in the access log (as operator,
/// action Export) after the snapshot is taken and before any data is written, so the export does not contain its own
/// entry and a re-export of an imported copy is byte-for-byte the same.
/// Encrypted columns (<see cref="EncryptedColumns"/>) are decrypted with this instance's key ring into the export, and
/// neither their blind indexes nor the data keys are exported: see <see cref="ExportTable.Layout"/>.
/// </summary>
internal sealed class Exporter(string databaseConnectionString, KeyRing ring, TimeProvider time, TextWriter progress)
{
    private readonly string _connectionString = DatabaseCatalog.WithoutCommandTimeout(databaseConnectionString);

    public async Task<ExportSummary> ExportAsync(string directory, RSA recipient, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new ExitException($"{directory} is not empty; an export goes into a new or empty directory.");
        }

        Directory.CreateDirectory(directory);
        var key = RandomNumberGenerator.GetBytes(32);
        var exportId = Guid.NewGuid().ToString("D");
        var createdAt = time.GetUtcNow();

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var settings = new NpgsqlCommand(
            "SET TRANSACTION READ ONLY; SET LOCAL TIME ZONE 'UTC'; SET LOCAL extra_float_digits = 1", connection, snapshot))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        // The first query fixes the snapshot.
        var schemaVersion = await DatabaseCatalog.SchemaVersionAsync(connection, cancellationToken);
        var tables = await ExportTables.ReadAsync(connection, cancellationToken);
        await OperatorAccessLog.AppendAsync(_connectionString, new AccessLogEntry
        {
            ActorId = "operator:" + Environment.UserName,
            ActorRole = "operator",
            Action = AccessAction.Export,
            ObjectKind = "instance",
            ObjectId = exportId,
            Purpose = "exit export for recipient key " + RecipientKey.Fingerprint(recipient)[..16],
            Outcome = AccessOutcome.Allowed,
            CorrelationId = exportId,
        }, time, cancellationToken);

        var files = new List<ExportFile>();
        foreach (var table in tables)
        {
            files.Add(await ExportTableAsync(connection, snapshot, table, schemaVersion, directory, key, ring, cancellationToken));
            await progress.WriteLineAsync($"Exported {table.Name}: {files[^1].Rows:N0} rows.");
        }

        await snapshot.CommitAsync(cancellationToken);
        var manifest = new ExportManifest
        {
            ExportId = exportId,
            CreatedAt = createdAt,
            SchemaVersion = schemaVersion,
            RecipientKeySha256 = RecipientKey.Fingerprint(recipient),
            WrappedKey = Convert.ToBase64String(recipient.Encrypt(key, RSAEncryptionPadding.OaepSHA256)),
            Files = files,
        };
        await manifest.WriteAsync(directory, key, cancellationToken);
        CryptographicOperations.ZeroMemory(key);
        return new(manifest, files.Sum(f => f.Rows), stopwatch.Elapsed);
    }

    private static async Task<ExportFile> ExportTableAsync(NpgsqlConnection connection, NpgsqlTransaction snapshot,
        ExportTable table, string schemaVersion, string directory, byte[] key, KeyRing ring, CancellationToken cancellationToken)
    {
        var fileName = table.Name + ".jsonl.enc";
        var path = Path.Combine(directory, fileName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new SealedFileWriter(file, key, fileName))
        {
            void Line(string text)
            {
                var bytes = Encoding.UTF8.GetBytes(text + "\n");
                hash.AppendData(bytes);
                writer.Write(bytes);
            }

            Line(JsonSerializer.Serialize(
                new ExportFileHeader(ExportManifest.CurrentFormat, table.Name, table.Layout, schemaVersion, table.FileColumns), ExportManifest.LineJson));
            var order = table.PrimaryKey.Count > 0
                ? string.Join(", ", table.PrimaryKey.Select(k => "t." + DatabaseCatalog.Quote(k)))
                : "row_to_json(t)::text";
            var columns = string.Join(", ", table.Columns.Select(c => DatabaseCatalog.Quote(c.Name)));
#pragma warning disable CA2100 // identifiers come from the catalogue and are quoted
            await using var command = new NpgsqlCommand(
                $"SELECT row_to_json(t)::text FROM (SELECT {columns} FROM {table.Quoted}) t ORDER BY {order}", connection, snapshot);
#pragma warning restore CA2100
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Line(table.Encrypted is { } encrypted ? EncryptedRows.Decrypt(reader.GetString(0), encrypted, ring)
                    : table.HoldsDocumentContents ? EncryptedRows.DecryptContent(reader.GetString(0), ring)
                    : reader.GetString(0));
                rows++;
            }

            writer.Complete();
        }

        return new(table.Name, fileName, rows, Convert.ToHexStringLower(hash.GetHashAndReset()), new FileInfo(path).Length);
    }
}
