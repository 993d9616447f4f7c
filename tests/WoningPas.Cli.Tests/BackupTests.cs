using WoningPas.Cli.Backups;
using WoningPas.Cli.Keys;
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

        var backup = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(database)).RunAsync(Cancel);
        var report = await new RestoreVerifier(database.ConnectionString, store, TextWriter.Null, await EncryptionAsync(database)).VerifyAsync(null, Cancel);

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
        var backup = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(database)).RunAsync(Cancel);
        var dump = Path.Combine(store.PathOf(backup.Generation), backup.Manifest.File);
        var original = await File.ReadAllBytesAsync(dump, Cancel);
        var verifier = new RestoreVerifier(database.ConnectionString, store, TextWriter.Null, await EncryptionAsync(database));

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
        var runner = new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(database));
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
        var fourth = await new BackupRunner(clean.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(clean)).RunAsync(Cancel);

        Assert.True(fourth.Verification.Passed);
        Assert.Equal([firstThree[^1]], fourth.Deleted);
        Assert.Equal([fourth.Generation, firstThree[0], firstThree[1]], store.List());
    }

    [Fact]
    public async Task A_generation_is_stored_encrypted_under_the_active_key_version_and_a_resealed_flipped_byte_or_cut_still_fails_to_decrypt()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        // More than one 64 KiB chunk, so a cut can fall on a chunk boundary.
        await new Seeder(database.ConnectionString, await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel), TextWriter.Null).SeedAsync(400, 7, Cancel);
        var store = new BackupStore(_directory);
        var backup = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(database)).RunAsync(Cancel);
        var directory = store.PathOf(backup.Generation);
        var path = Path.Combine(directory, backup.Manifest.File);
        var stored = await File.ReadAllBytesAsync(path, Cancel);
        var verifier = new RestoreVerifier(database.ConnectionString, store, TextWriter.Null, await EncryptionAsync(database));

        Assert.True(backup.Verification.Passed, string.Join("; ", backup.Verification.Findings));
        Assert.Equal(new BackupEncryptionInfo(BackupEncryption.Algorithm, 1), backup.Manifest.Encryption);
        Assert.Equal(1, KeyRing.VersionOf(stored));
        Assert.False(stored.AsSpan().IndexOf("PGDMP"u8) >= 0, "the stored file must not contain a plain pg_dump archive");
        Assert.Equal([BackupManifest.FileName, backup.Manifest.File], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        Assert.NotEqual(backup.Manifest.Sha256, backup.Manifest.PlainSha256);
        Assert.True(stored.Length > 2 * ChunkedContent.ChunkSize, $"{stored.Length} bytes");
        Assert.Equal(ChunkedContent.PlainLength(stored.Length), backup.Manifest.PlainSizeBytes);

        // Someone who can rewrite the manifest too still cannot slip a changed, cut or another backup's file through.
        var flipped = stored.ToArray();
        flipped[flipped.Length / 2] ^= 0x01;
        var altered = await Assert.ThrowsAsync<BackupException>(() => ResealedAsync(flipped, backup.Manifest));
        var cut = await Assert.ThrowsAsync<BackupException>(() =>
            ResealedAsync(stored[..(KeyRing.HeaderSize + ChunkedContent.ChunkSize + ChunkedContent.ChunkOverhead)], backup.Manifest));
        var otherId = await Assert.ThrowsAsync<BackupException>(() => ResealedAsync(stored, backup.Manifest with { BackupId = Guid.NewGuid() }));

        Assert.Contains("does not decrypt", altered.Message, StringComparison.Ordinal);
        Assert.Contains("cut off", cut.Message, StringComparison.Ordinal);
        Assert.Contains("does not decrypt", otherId.Message, StringComparison.Ordinal);
        await File.WriteAllBytesAsync(path, stored, Cancel);
        await backup.Manifest.WriteAsync(directory, Cancel);
        Assert.True((await verifier.VerifyAsync(null, Cancel)).Passed);

        async Task ResealedAsync(byte[] content, BackupManifest manifest)
        {
            await File.WriteAllBytesAsync(path, content, Cancel);
            var (size, sha256) = await BackupStore.MeasureAsync(path, Cancel);
            await (manifest with { SizeBytes = size, Sha256 = sha256 }).WriteAsync(directory, Cancel);
            await verifier.VerifyAsync(null, Cancel);
        }
    }

    [Fact]
    public async Task Rotation_re_encrypts_every_generation_so_the_retired_key_can_be_destroyed_and_restores_need_only_the_current_one()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        await AccessLogRows.AppendAsync(database.ConnectionString, 3);
        var store = new BackupStore(_directory);
        var runner = new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(database));
        await runner.RunAsync(Cancel);
        await runner.RunAsync(Cancel);
        var before = new Dictionary<string, BackupManifest>();
        foreach (var name in store.List())
        {
            before[name] = await BackupManifest.ReadAsync(store.PathOf(name), Cancel);
        }

        // What an interrupted earlier re-encryption leaves behind.
        await File.WriteAllTextAsync(Path.Combine(store.PathOf(store.List()[0]), BackupRunner.DumpFile + ".v7.enc.tmp"), "partial", Cancel);

        // The database alone first: its values move to version 2, but every backup is still under version 1.
        using var error = new StringWriter();
        await Keys(database, TextWriter.Null, backups: null).RotateAsync(Cancel);
        var keys = Keys(database, TextWriter.Null, store);
        Assert.False(await keys.DestroyAsync(1, error, Cancel));
        Assert.Contains("still encrypts 2 backup generations", error.ToString(), StringComparison.Ordinal);

        var summary = await new BackupReEncryption(database.ConnectionString, store,
            await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel), TimeProvider.System, TextWriter.Null).RunAsync(Cancel);
        Assert.Empty(summary.Failures);
        Assert.Equal(before.Keys.Order(), summary.ReEncrypted.Order());
        Assert.True(await keys.DestroyAsync(1, error, Cancel), error.ToString());
        var listing = new StringWriter();
        await Keys(database, listing, store).ListAsync(Cancel);
        Assert.Contains("backup generations in " + store.Directory + "): 2.", listing.ToString(), StringComparison.Ordinal);

        // Version 1 is gone from the key ring: every generation restores with version 2 alone.
        var onlyCurrent = await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        Assert.Equal([2], onlyCurrent.Versions);
        foreach (var (name, old) in before)
        {
            var manifest = await BackupManifest.ReadAsync(store.PathOf(name), Cancel);
            Assert.Equal(2, manifest.Encryption!.KeyVersion);
            Assert.NotEqual(old.PlainSha256, manifest.PlainSha256); // the values inside were re-encrypted too
            Assert.Equal(old.BackupId, manifest.BackupId);
            Assert.NotNull(manifest.ReEncryptedAt);
            Assert.Equal([BackupManifest.FileName, manifest.File], Directory.GetFiles(store.PathOf(name)).Select(Path.GetFileName).Order());
            Assert.Equal(2, KeyRing.VersionOf(await File.ReadAllBytesAsync(Path.Combine(store.PathOf(name), manifest.File), Cancel)));
            var verifier = new RestoreVerifier(database.ConnectionString, store, TextWriter.Null, new BackupEncryption(onlyCurrent));
            var report = await verifier.VerifyAsync(name, Cancel);
            Assert.True(report.Passed, string.Join("; ", report.Findings));
            Assert.Equal(3, report.AccessLog!.EntriesChecked);
            Assert.Equal(old.RowCounts.Where(c => c.Key != "data_keys"), manifest.RowCounts.Where(c => c.Key != "data_keys"));

            // Inside the dump too: every value is under version 2, and version 1's wrapped keys are not in it.
            var (versions, oldKeys) = await verifier.WithScratchRestoreAsync(name, async (_, _, scratch, _) => (
                await ReEncryption.CountAsync(scratch, Cancel),
                await AccessLogRows.ScalarAsync(scratch, "SELECT count(*) FROM data_keys WHERE version <> 2 AND wrapped_data_key IS NOT NULL")), Cancel);
            Assert.NotEmpty(versions);
            Assert.All(versions, count => Assert.Equal(2, count.Version));
            Assert.Equal(0, oldKeys);
        }
    }

    [Fact]
    public async Task Rotate_keys_with_a_backup_directory_leaves_only_the_current_version_in_use_and_destroys_the_old_one()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        var store = new BackupStore(_directory);
        await new BackupRunner(database.ConnectionString, store, TimeProvider.System, TextWriter.Null, await EncryptionAsync(database)).RunAsync(Cancel);

        var output = new StringWriter();
        var keys = Keys(database, output, store);
        await keys.RotateAsync(Cancel);
        Assert.Empty(keys.BackupFailures);
        Assert.Contains("Re-encrypted 1 backup generations under key version 2", output.ToString(), StringComparison.Ordinal);
        Assert.True(await keys.DestroyAsync(1, TextWriter.Null, Cancel));
        var listing = new StringWriter();
        await Keys(database, listing, store).ListAsync(Cancel);

        Assert.Matches(@"\n\s*1\s+Destroyed\s+0\s+0\s", listing.ToString());
        Assert.Matches(@"\n\s*2\s+Active\s+[\d,]+\s+1\s", listing.ToString());
        Assert.Contains("): 2.", listing.ToString(), StringComparison.Ordinal);
        var restore = await new RestoreVerifier(database.ConnectionString, store, TextWriter.Null, await EncryptionAsync(database)).VerifyAsync(null, Cancel);
        Assert.True(restore.Passed, string.Join("; ", restore.Findings));
    }

    private static async Task<BackupEncryption> EncryptionAsync(TestDatabase database) =>
        new(await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel));

    private static KeyCommands Keys(TestDatabase database, TextWriter output, BackupStore? backups) =>
        new(database.ConnectionString, TestKeys.Kek, TimeProvider.System, output, TextWriter.Null) { BatchSize = 50, Backups = backups };
}
