using System.Diagnostics;
using Npgsql;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Cli.Backups;

internal sealed record RestoreReport(string Generation, bool Passed, List<string> Findings, long Rows,
    ChainVerification? AccessLog, TimeSpan Elapsed);

/// <summary>
/// Proves a generation: the stored file has the manifest's size and SHA-256 (else it is refused before pg_restore
/// sees it), it restores into a scratch database on the same server — never the live one — whose row counts and
/// schema version match the manifest, and whose access log chain is intact. The scratch database is always dropped.
/// </summary>
internal sealed class RestoreVerifier(string databaseConnectionString, BackupStore store, TextWriter progress,
    BackupEncryption encryption)
{
    private readonly string _connectionString = DatabaseCatalog.WithoutCommandTimeout(databaseConnectionString);

    public Task<RestoreReport> VerifyAsync(string? generation, CancellationToken cancellationToken) =>
        WithScratchRestoreAsync(generation,
            (name, manifest, scratchConnection, stopwatch) => CompareAsync(name, manifest, scratchConnection, stopwatch, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Checks the generation's file, restores it into a new scratch database, and runs <paramref name="work"/> on it
    /// (with the generation's name, its manifest and the scratch database's connection string); the scratch database
    /// is dropped afterwards whatever happened.
    /// </summary>
    public async Task<T> WithScratchRestoreAsync<T>(string? generation, Func<string, BackupManifest, string, Stopwatch, Task<T>> work,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var directory = store.Resolve(generation);
        var name = Path.GetFileName(directory);
        var manifest = await BackupManifest.ReadAsync(directory, cancellationToken);
        var stored = Path.Combine(directory, Path.GetFileName(manifest.File));
        await CheckFileAsync(name, stored, manifest, cancellationToken);

        var live = new NpgsqlConnectionStringBuilder(_connectionString);
        var scratch = "woningpas_verify_" + Guid.NewGuid().ToString("N")[..12];
        if (string.Equals(scratch, live.Database, StringComparison.Ordinal))
        {
            throw new BackupException("Refused: the scratch database would be the live one.");
        }

        var admin = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var scratchConnection = new NpgsqlConnectionStringBuilder(_connectionString) { Database = scratch, Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {scratch}", cancellationToken);
        try
        {
            await RestoreAsync(stored, manifest, scratchConnection, cancellationToken);
            return await work(name, manifest, scratchConnection, stopwatch);
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", CancellationToken.None);
        }
    }

    public static async Task CheckFileAsync(string name, string stored, BackupManifest manifest, CancellationToken cancellationToken)
    {
        if (!File.Exists(stored))
        {
            throw new BackupException($"Refused: generation {name} has no {manifest.File}.");
        }

        var (size, sha256) = await BackupStore.MeasureAsync(stored, cancellationToken);
        if (size < manifest.SizeBytes)
        {
            throw new BackupException(
                $"Refused: generation {name} is truncated ({size:N0} of {manifest.SizeBytes:N0} bytes). Restore another generation.");
        }

        if (size != manifest.SizeBytes)
        {
            throw new BackupException(
                $"Refused: generation {name} has {size:N0} bytes, its manifest says {manifest.SizeBytes:N0}. Restore another generation.");
        }

        if (!string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException(
                $"Refused: generation {name} is corrupt (SHA-256 {sha256} where the manifest says {manifest.Sha256}). Restore another generation.");
        }
    }

    private async Task RestoreAsync(string stored, BackupManifest manifest, string scratchConnection, CancellationToken cancellationToken)
    {
        // pg_restore --jobs needs a seekable file: the dump is decrypted chunk by chunk into a file only this user can
        // read, which exists for the restore and is deleted after it.
        var decrypted = manifest.Encryption is null ? null
            : Path.Combine(Path.GetTempPath(), "woningpas-restore-" + Guid.NewGuid().ToString("N") + ".dump");
        var dump = decrypted ?? stored;
        try
        {
            if (decrypted is not null)
            {
                await DecryptAsync(stored, decrypted, manifest, encryption, cancellationToken);
            }

            var jobs = Math.Clamp(Environment.ProcessorCount, 1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await progress.WriteLineAsync($"Restoring {manifest.Generation} into a scratch database ...");
            await PostgresTools.RunAsync("pg_restore", scratchConnection,
                ["--exit-on-error", "--no-owner", "--no-privileges", $"--jobs={jobs}", "--dbname", new NpgsqlConnectionStringBuilder(scratchConnection).Database!, dump],
                cancellationToken);
        }
        finally
        {
            if (decrypted is not null)
            {
                File.Delete(decrypted);
            }
        }
    }

    /// <summary>
    /// Streams a generation's stored file through the decryption into <paramref name="destination"/> (mode 0600) and
    /// checks the plain dump against the manifest; a failure deletes nothing but the destination.
    /// </summary>
    public static async Task DecryptAsync(string stored, string destination, BackupManifest manifest, BackupEncryption encryption,
        CancellationToken cancellationToken)
    {
        var options = BackupEncryption.PrivateFile(FileMode.CreateNew);
        string plainSha256;
        await using (var input = new FileStream(stored, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        await using (var output = new FileStream(destination, options))
        {
            plainSha256 = await encryption.DecryptAsync(input, output, manifest.BackupId, manifest.Generation, cancellationToken);
        }

        if (manifest.PlainSha256 is { } expected && !string.Equals(expected, plainSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException(
                $"Refused: generation {manifest.Generation} decrypts to a dump with SHA-256 {plainSha256}, its manifest says {expected}. Restore another generation.");
        }
    }

    public async Task<RestoreReport> CompareAsync(string name, BackupManifest manifest, string scratchConnection,
        Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var findings = new List<string>();
        SortedDictionary<string, long> counts;
        string schemaVersion;
        await using (var connection = new NpgsqlConnection(scratchConnection))
        {
            await connection.OpenAsync(cancellationToken);
            counts = await DatabaseCatalog.RowCountsAsync(connection, cancellationToken);
            schemaVersion = await DatabaseCatalog.SchemaVersionAsync(connection, cancellationToken);
        }

        if (schemaVersion != manifest.SchemaVersion)
        {
            findings.Add($"schema version {schemaVersion}, manifest says {manifest.SchemaVersion}");
        }

        foreach (var table in manifest.RowCounts.Keys.Union(counts.Keys).Order(StringComparer.Ordinal))
        {
            var expected = manifest.RowCounts.GetValueOrDefault(table, -1);
            var actual = counts.GetValueOrDefault(table, -1);
            if (expected != actual)
            {
                findings.Add($"table {table}: {Describe(actual)} restored, manifest says {Describe(expected)}");
            }
        }

        await progress.WriteLineAsync("Verifying the access log chain of the restored database ...");
        var chain = await AccessLogVerifier.VerifyAsync(scratchConnection, cancellationToken);
        if (!chain.IsIntact)
        {
            findings.Add($"access log: chain broken at entry {chain.BrokenAtId}: {chain.Problem}");
        }

        return new(name, findings.Count == 0, findings, counts.Values.Sum(), chain, stopwatch.Elapsed);
    }

    private static string Describe(long rows) => rows < 0 ? "no table" : $"{rows:N0} rows";

    private static async Task ExecuteAsync(string adminConnectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
#pragma warning disable CA2100 // the only identifier is the generated scratch database name
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
