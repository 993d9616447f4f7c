using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Cli.Backups;
using WoningPas.Cli.Exit;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.Data.AccessLog;
using WoningPas.LocalPostgres;

namespace WoningPas.Bench;

/// <summary>
/// Seeds a synthetic Flanders (plus a chained access log) into a fresh cluster, then times the operations of issue 9
/// exactly as the CLI runs them: backup (pg_dump of a snapshot + checksum, then its verifying restore), restore
/// --verify, the exit export, and the import of that export into an empty database.
/// </summary>
internal static class OpsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dwellings = BenchArguments.Option(args, "--dwellings", 3_300_000);
        var accessLogEntries = BenchArguments.Option(args, "--access-log", 200_000);
        // Backup and restore only (the goal's measure) when the whole run does not fit: written to ops-backup-restore.json.
        var skipExit = args.Contains("--skip-exit");
        var root = Repository.Root();
        var work = Path.Combine(root, ".data", "bench-ops");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        await using var cluster = await PrivateCluster.StartAsync(Path.Combine(work, "pg"), durable: true, CancellationToken.None);
        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, "woningpas", CancellationToken.None);
        var connectionString = cluster.ConnectionStringFor("woningpas");
        var kek = KeyEncryptionKeys.Create(EncryptionSettings.FromEnvironment(), "Development");
        var ring = await DatabaseSetup.MigrateAsync(connectionString, kek, seedDemoData: false, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeding {dwellings:N0} dwellings and {accessLogEntries:N0} access-log entries ..."));
        var seed = await new Seeder(connectionString, ring, Console.Error).SeedAsync(dwellings, 1, CancellationToken.None);
        await AppendAccessLogAsync(connectionString, accessLogEntries);
        await BenchSql.ExecuteAsync(connectionString, "VACUUM ANALYZE");

        var store = new BackupStore(Path.Combine(work, "backups"));
        Console.WriteLine("Backup (dump, then its verifying restore) ...");
        var backup = await new BackupRunner(connectionString, store, TimeProvider.System, Console.Error, new BackupEncryption(ring)).RunAsync(CancellationToken.None);
        Console.WriteLine("Restore --verify ...");
        var restore = await new RestoreVerifier(connectionString, store, Console.Error, new BackupEncryption(ring)).VerifyAsync(null, CancellationToken.None);

        if (skipExit)
        {
            return await WriteAsync(root, "ops-backup-restore.json", new Dictionary<string, object?>
            {
                ["benchmark"] = "ops (backup and restore only)",
                ["measured_at"] = DateTimeOffset.UtcNow,
                ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, shared with other jobs",
                ["dwellings"] = dwellings,
                ["rows"] = seed.Rows + accessLogEntries,
                ["db_size_bytes"] = await BenchSql.DatabaseSizeAsync(connectionString),
                ["backup_seconds"] = Math.Round(backup.DumpElapsed.TotalSeconds, 1),
                ["backup_with_verification_seconds"] = Math.Round(backup.Elapsed.TotalSeconds, 1),
                ["backup_bytes"] = backup.Manifest.SizeBytes,
                ["restore_verify_seconds"] = Math.Round(restore.Elapsed.TotalSeconds, 1),
                ["restore_verified"] = restore.Passed,
                ["goal"] = "restore with verification within 600 s at 3.3 M dwellings on 2 cores",
            }, cluster, work);
        }

        var keys = RecipientKey.Generate(Path.Combine(work, "keys"));
        using var publicKey = RecipientKey.Load(keys.PublicPath, requirePrivate: false);
        using var privateKey = RecipientKey.Load(keys.PrivatePath, requirePrivate: true);
        var exportDirectory = Path.Combine(work, "export");
        Console.WriteLine("Export ...");
        var export = await new Exporter(connectionString, ring, TimeProvider.System, Console.Error).ExportAsync(exportDirectory, publicKey, CancellationToken.None);

        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, "woningpas_import", CancellationToken.None);
        var importConnection = cluster.ConnectionStringFor("woningpas_import");
        var importRing = await DatabaseSetup.MigrateAsync(importConnection, kek, seedDemoData: false, CancellationToken.None);
        Console.WriteLine("Import into an empty database ...");
        var import = await new ExitImporter(importConnection, importRing, Console.Error).ImportAsync(exportDirectory, privateKey, CancellationToken.None);

        var result = new Dictionary<string, object?>
        {
            ["benchmark"] = "ops",
            ["measured_at"] = DateTimeOffset.UtcNow,
            ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, shared with other jobs",
            ["dwellings"] = dwellings,
            ["full_scale"] = dwellings >= 3_300_000,
            ["rows"] = seed.Rows + accessLogEntries,
            ["access_log_entries"] = accessLogEntries,
            ["db_size_bytes"] = await BenchSql.DatabaseSizeAsync(connectionString),
            ["backup_seconds"] = Math.Round(backup.DumpElapsed.TotalSeconds, 1),
            ["backup_with_verification_seconds"] = Math.Round(backup.Elapsed.TotalSeconds, 1),
            ["backup_bytes"] = backup.Manifest.SizeBytes,
            ["backup_verified"] = backup.Verification.Passed,
            ["restore_verify_seconds"] = Math.Round(restore.Elapsed.TotalSeconds, 1),
            ["restore_verified"] = restore.Passed,
            ["export_seconds"] = Math.Round(export.Elapsed.TotalSeconds, 1),
            ["export_bytes"] = export.Manifest.Files.Sum(f => f.SealedBytes),
            ["import_seconds"] = Math.Round(import.Elapsed.TotalSeconds, 1),
            ["import_rows"] = import.Rows,
            ["import_chain_intact"] = import.AccessLog.IsIntact,
            ["goal"] = "restore with verification within 600 s at 3.3 M dwellings on 2 cores",
        };
        return await WriteAsync(root, "ops.json", result, cluster, work);
    }

    private static async Task<int> WriteAsync(string root, string file, Dictionary<string, object?> result,
        PrivateCluster cluster, string work)
    {
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        var output = Path.Combine(root, "bench", "results", file);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, json + Environment.NewLine);
        Console.WriteLine(json);
        Console.WriteLine($"Written to {Path.GetRelativePath(root, output)}");
        await cluster.DisposeAsync();
        Directory.Delete(work, recursive: true);
        return 0;
    }

    /// <summary>A chained access log of realistic length, written with binary COPY so the restore has a chain to walk.</summary>
    private static async Task AppendAccessLogAsync(string connectionString, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY access_log (id, occurred_at, actor_id, actor_role, action, object_kind, object_id, purpose, outcome, correlation_id, previous_hash, hash) FROM STDIN (FORMAT BINARY)"))
        {
            await WriteChainAsync(importer, count);
        }

        await using var sequence = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence('access_log', 'id'), $1)", connection)
        {
            Parameters = { new() { Value = (long)count } },
        };
        await sequence.ExecuteNonQueryAsync();
    }

    private static async Task WriteChainAsync(NpgsqlBinaryImporter importer, int count)
    {
        var previous = AccessLogChain.Genesis;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= count; i++)
        {
            var entry = new AccessLogEntry
            {
                Id = i,
                OccurredAt = start.AddSeconds(i * 0.25),
                ActorId = "5eed0009-0000-4000-8000-" + (i % 100_000).ToString("D12", CultureInfo.InvariantCulture),
                ActorRole = "citizen",
                Action = AccessAction.Read,
                ObjectKind = "passport",
                ObjectId = "bench-" + i.ToString(CultureInfo.InvariantCulture),
                Purpose = "own dwelling",
                Outcome = AccessOutcome.Allowed,
                CorrelationId = i.ToString("x16", CultureInfo.InvariantCulture),
                PreviousHash = previous,
            };
            entry.Hash = AccessLogChain.ComputeHash(previous, entry);
            previous = entry.Hash;
            await importer.StartRowAsync();
            await importer.WriteAsync(entry.Id, NpgsqlDbType.Bigint);
            await importer.WriteAsync(entry.OccurredAt, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(entry.ActorId, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.ActorRole, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.Action.ToString(), NpgsqlDbType.Text);
            await importer.WriteAsync(entry.ObjectKind, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.ObjectId, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.Purpose, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.Outcome.ToString(), NpgsqlDbType.Text);
            await importer.WriteAsync(entry.CorrelationId, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.PreviousHash, NpgsqlDbType.Bytea);
            await importer.WriteAsync(entry.Hash, NpgsqlDbType.Bytea);
        }

        await importer.CompleteAsync();
    }
}
