using System.Data;
using System.Diagnostics;
using Npgsql;

namespace WoningPas.Cli.Backups;

/// <summary>A generation taken; DumpElapsed is the dump, encryption step and checksum, before the verification.</summary>
internal sealed record BackupSummary(string Generation, BackupManifest Manifest, RestoreReport Verification,
    List<string> Deleted, TimeSpan DumpElapsed, TimeSpan Elapsed);

/// <summary>
/// Takes one generation: a pg_dump in custom format of one exported snapshot, so that the row counts in the manifest
/// describe exactly the dumped data; then proves it by a verified restore into a scratch database; and only then
/// deletes the generations beyond the newest three. A generation that fails its verification is set aside as
/// NAME.failed and nothing older is deleted.
/// </summary>
internal sealed class BackupRunner(string databaseConnectionString, BackupStore store, TimeProvider time, TextWriter progress,
    BackupEncryption encryption)
{
    private readonly string _connectionString = DatabaseCatalog.WithoutCommandTimeout(databaseConnectionString);

    public const string DumpFile = "woningpas.dump";

    public async Task<BackupSummary> RunAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        CreatePrivateDirectory(store.Directory);
        store.RemovePartials();

        var generation = BackupStore.NewGenerationName(time.GetUtcNow());
        while (Directory.Exists(store.PathOf(generation)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2), time, cancellationToken);
            generation = BackupStore.NewGenerationName(time.GetUtcNow());
        }

        var partial = store.PathOf(generation) + BackupStore.PartialSuffix;
        CreatePrivateDirectory(partial);
        var manifest = await DumpAsync(generation, partial, cancellationToken);
        await manifest.WriteAsync(partial, cancellationToken);
        var dumpElapsed = stopwatch.Elapsed;
        var final = store.PathOf(generation);
        Directory.Move(partial, final);
        await progress.WriteLineAsync($"Backup {generation}: {manifest.SizeBytes:N0} bytes, verifying by a restore into a scratch database ...");

        var report = await new RestoreVerifier(_connectionString, store, progress, encryption).VerifyAsync(generation, cancellationToken);
        if (!report.Passed)
        {
            Directory.Move(final, final + BackupStore.FailedSuffix);
            return new(generation, manifest, report, [], dumpElapsed, stopwatch.Elapsed);
        }

        await (manifest with { VerifiedAt = time.GetUtcNow() }).WriteAsync(final, cancellationToken);
        var deleted = store.Prune();
        return new(generation, manifest, report, deleted, dumpElapsed, stopwatch.Elapsed);
    }

    private async Task<BackupManifest> DumpAsync(string generation, string directory, CancellationToken cancellationToken)
    {
        var createdAt = time.GetUtcNow();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // The snapshot stays exported while this transaction is open: pg_dump reads exactly what was counted.
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, snapshot))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        string snapshotId;
        await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, snapshot))
        {
            snapshotId = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
        }

        var rowCounts = await DatabaseCatalog.RowCountsAsync(connection, cancellationToken);
        var schemaVersion = await DatabaseCatalog.SchemaVersionAsync(connection, cancellationToken);
        var dump = Path.Combine(directory, DumpFile);
        await PostgresTools.RunAsync("pg_dump", _connectionString,
            ["--format=custom", "--compress=6", $"--snapshot={snapshotId}", "--file", dump], cancellationToken);
        await snapshot.CommitAsync(cancellationToken);

        var backupId = Guid.NewGuid();
        var (stored, plainSize, plainSha256) = await EncryptAsync(dump, backupId, cancellationToken);
        var (size, sha256) = await BackupStore.MeasureAsync(stored, cancellationToken);
        return new BackupManifest
        {
            Generation = generation,
            BackupId = backupId,
            CreatedAt = createdAt,
            File = Path.GetFileName(stored),
            SizeBytes = size,
            Sha256 = sha256,
            Encryption = new(BackupEncryption.Algorithm, encryption.CurrentKeyVersion),
            PlainSizeBytes = plainSize,
            PlainSha256 = plainSha256,
            SchemaVersion = schemaVersion,
            ServerVersion = connection.PostgreSqlVersion.ToString(),
            RowCounts = rowCounts,
        };
    }

    /// <summary>A dump holds every person's data: only the backup's owner may open its directory.</summary>
    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// The encryption step (see <see cref="BackupEncryption"/>): streamed, and the plain dump, which only ever lives in
    /// the generation's private .partial directory, is deleted as soon as its ciphertext is written.
    /// </summary>
    private async Task<(string Path, long PlainSize, string PlainSha256)> EncryptAsync(string dump, Guid backupId,
        CancellationToken cancellationToken)
    {
        var sealedPath = StoredFileName(dump, encryption.CurrentKeyVersion);
        var (length, plainSha256) = await encryption.EncryptFileAsync(dump, sealedPath, backupId, cancellationToken);
        File.Delete(dump);
        return (sealedPath, length, plainSha256);
    }

    /// <summary>The stored file names its key version, so a re-encryption writes a new file beside the old one.</summary>
    public static string StoredFileName(string dump, int keyVersion) =>
        dump + ".v" + keyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".enc";
}
