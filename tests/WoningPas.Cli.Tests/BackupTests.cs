using System.Security.Cryptography;
using WoningPas.Cli.Backups;
using WoningPas.Cli.Seeding;
using WoningPas.Data.Encryption;
using WoningPas.Testing;

namespace WoningPas.Cli.Tests;

public sealed class BackupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("woningpas-backup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backup_of_seeded_data_restores_into_a_scratch_database_with_every_count_and_the_chain_verified()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        await new Seeder(database.ConnectionString, await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel), TextWriter.Null).SeedAsync(400, 7, Cancel);
        await AccessLogRows.AppendAsync(database.ConnectionString, 5);
        var store = new BackupStore(_directory);

        var backup = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null).RunAsync(Cancel);
        var report = await new RestoreVerifier(database.ConnectionString, store, TextWriter.Null).VerifyAsync(null, Cancel);

        Assert.True(backup.Verification.Passed, string.Join("; ", backup.Verification.Findings));
        Assert.True(report.Passed, string.Join("; ", report.Findings));
        Assert.Equal(backup.Generation, report.Generation);
        Assert.Equal(5, report.AccessLog!.EntriesChecked);
        var manifest = await BackupManifest.ReadAsync(store.PathOf(backup.Generation), Cancel);
        Assert.NotNull(manifest.VerifiedAt);
        Assert.Equal(403, manifest.RowCounts["dwellings"]);
        Assert.Equal(await AccessLogRows.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM real_rights"), manifest.RowCounts["real_rights"]);
        Assert.StartsWith("2026", manifest.SchemaVersion, StringComparison.Ordinal);
        var (size, sha256) = await BackupStore.MeasureAsync(Path.Combine(store.PathOf(backup.Generation), manifest.File), Cancel);
        Assert.Equal((manifest.SizeBytes, manifest.Sha256), (size, sha256));
        Assert.Equal(0, await AccessLogRows.ScalarAsync(database.ConnectionString,
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'woningpas_verify_%'"));
    }

    [Fact]
    public async Task A_flipped_byte_or_a_truncated_dump_is_refused_before_anything_is_restored()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        var store = new BackupStore(_directory);
        var backup = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null).RunAsync(Cancel);
        var dump = Path.Combine(store.PathOf(backup.Generation), BackupRunner.DumpFile);
        var original = await File.ReadAllBytesAsync(dump, Cancel);
        var verifier = new RestoreVerifier(database.ConnectionString, store, TextWriter.Null);

        var flipped = original.ToArray();
        flipped[flipped.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(dump, flipped, Cancel);
        var corrupt = await Assert.ThrowsAsync<BackupException>(() => verifier.VerifyAsync(backup.Generation, Cancel));

        await File.WriteAllBytesAsync(dump, original[..(original.Length - 100)], Cancel);
        var truncated = await Assert.ThrowsAsync<BackupException>(() => verifier.VerifyAsync(null, Cancel));

        Assert.Contains("corrupt", corrupt.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        await File.WriteAllBytesAsync(dump, original, Cancel);
        Assert.True((await verifier.VerifyAsync(null, Cancel)).Passed);
    }

    [Fact]
    public async Task A_fourth_backup_removes_the_oldest_only_once_it_has_been_verified()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        await AccessLogRows.AppendAsync(database.ConnectionString, 2);
        var store = new BackupStore(_directory);
        var runner = new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null);
        for (var i = 0; i < 3; i++)
        {
            await runner.RunAsync(Cancel);
        }

        var firstThree = store.List();
        // A row that breaks the chain makes the next backup fail its verification.
        await AccessLogRows.AppendAsync(database.ConnectionString, 1, breakChain: true);
        var failed = await runner.RunAsync(Cancel);

        Assert.False(failed.Verification.Passed);
        Assert.Contains(failed.Verification.Findings, f => f.Contains("access log", StringComparison.Ordinal));
        Assert.Empty(failed.Deleted);
        Assert.Equal(firstThree, store.List());
        Assert.True(Directory.Exists(store.PathOf(failed.Generation) + BackupStore.FailedSuffix));

        await using var clean = await TestDatabases.CreateAsync(Cancel);
        var fourth = await new BackupRunner(clean.ConnectionString, store, TimeProvider.System, TextWriter.Null).RunAsync(Cancel);

        Assert.True(fourth.Verification.Passed);
        Assert.Equal([firstThree[^1]], fourth.Deleted);
        Assert.Equal([fourth.Generation, firstThree[0], firstThree[1]], store.List());
    }

    [Fact]
    public async Task With_a_data_key_provider_plugged_in_the_stored_generation_is_encrypted_and_restores_only_through_it()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        var store = new BackupStore(_directory);
        var keys = new Dictionary<int, byte[]> { [1] = RandomNumberGenerator.GetBytes(32), [2] = RandomNumberGenerator.GetBytes(32) };
        var encryption = TestEncryption(keys, currentVersion: 2);

        var backup = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, encryption).RunAsync(Cancel);
        var stored = await File.ReadAllBytesAsync(Path.Combine(store.PathOf(backup.Generation), backup.Manifest.File), Cancel);
        var withoutProvider = await Assert.ThrowsAsync<BackupException>(() =>
            new RestoreVerifier(database.ConnectionString, store, TextWriter.Null).VerifyAsync(null, Cancel));

        Assert.True(backup.Verification.Passed, string.Join("; ", backup.Verification.Findings));
        Assert.Equal(new BackupEncryptionInfo("test AES-256-GCM", 2), backup.Manifest.Encryption);
        Assert.False(stored.AsSpan().StartsWith("PGDMP"u8), "the stored file must not be a plain pg_dump archive");
        Assert.False(File.Exists(Path.Combine(store.PathOf(backup.Generation), BackupRunner.DumpFile)), "no plain dump beside it");
        Assert.Contains("key version 2", withoutProvider.Message, StringComparison.Ordinal);
    }

    /// <summary>A stand-in for the data-key provider of encryption at rest: one AES-GCM block per file, keyed by version.</summary>
    private static BackupEncryption TestEncryption(Dictionary<int, byte[]> keys, int currentVersion) => new(
        "test AES-256-GCM",
        currentVersion,
        async (plain, output, cancellationToken) =>
        {
            using var buffer = new MemoryStream();
            await plain.CopyToAsync(buffer, cancellationToken);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var cipher = new byte[buffer.Length];
            var tag = new byte[16];
            using var aes = new AesGcm(keys[currentVersion], 16);
            aes.Encrypt(nonce, buffer.ToArray(), cipher, tag);
            await output.WriteAsync(nonce, cancellationToken);
            await output.WriteAsync(tag, cancellationToken);
            await output.WriteAsync(cipher, cancellationToken);
        },
        async (input, output, version, cancellationToken) =>
        {
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, cancellationToken);
            var all = buffer.ToArray();
            var plain = new byte[all.Length - 28];
            using var aes = new AesGcm(keys[version], 16);
            aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(28), all.AsSpan(12, 16), plain);
            await output.WriteAsync(plain, cancellationToken);
        });
}
