using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Backups;

internal sealed record BackupReEncryptionSummary(List<string> ReEncrypted, int AlreadyCurrent, List<string> Failures);

/// <summary>
/// Key rotation for backups. Re-encrypting only the outer layer would not be enough: a dump holds the database as it
/// was, so its people's values and document contents are still under the old version, and its data_keys table still
/// holds that version's wrapped keys, which the KEK can unwrap — destroying the version in the live database would
/// not shred it in the backups. So every generation (failed ones too: they hold the data as well) that is not under the
/// active version is restored into a scratch database and checked against its manifest (row counts, access-log chain),
/// its values are re-encrypted there under the active version with the live key ring, its data_keys table is reduced
/// to the active version (earlier versions recorded as destroyed, without keys), and it is dumped and encrypted under
/// the active version into a new file beside the old one. The new file is decrypted once more as proof, and only then
/// becomes the generation's file by replacing the manifest in one rename; the old file is deleted after that. At every
/// moment the manifest names a complete, verified file, so an interruption loses nothing: the next run removes the
/// stray files and starts that generation again. The generation keeps its name, time and backup id: it is still the
/// data of that day, re-keyed.
/// </summary>
internal sealed class BackupReEncryption(string connectionString, BackupStore store, KeyRing ring, TimeProvider time, TextWriter progress)
{
    private readonly BackupEncryption _encryption = new(ring);

    public async Task<BackupReEncryptionSummary> RunAsync(CancellationToken cancellationToken)
    {
        var reEncrypted = new List<string>();
        var failures = new List<string>();
        var current = 0;
        foreach (var directory in store.AllWithManifest())
        {
            var name = Path.GetFileName(directory);
            try
            {
                var manifest = await BackupManifest.ReadAsync(directory, cancellationToken);
                RemoveStrays(directory, manifest);
                if (manifest.Encryption?.KeyVersion == ring.ActiveVersion)
                {
                    current++;
                    continue;
                }

                await ReEncryptAsync(directory, name, manifest, cancellationToken);
                reEncrypted.Add(name);
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Backup {name}: re-encrypted from {Describe(manifest.Encryption)} to key version {ring.ActiveVersion}, values inside included, and verified."));
            }
            catch (BackupException exception)
            {
                failures.Add($"{name}: {exception.Message}");
            }
        }

        return new(reEncrypted, current, failures);
    }

    /// <summary>The key version of every generation (null: stored before backups were encrypted), by directory name.</summary>
    public static async Task<SortedDictionary<string, int?>> KeyVersionsAsync(BackupStore store, CancellationToken cancellationToken)
    {
        var versions = new SortedDictionary<string, int?>(StringComparer.Ordinal);
        foreach (var directory in store.AllWithManifest())
        {
            versions[Path.GetFileName(directory)] = (await BackupManifest.ReadAsync(directory, cancellationToken)).Encryption?.KeyVersion;
        }

        return versions;
    }

    private async Task ReEncryptAsync(string directory, string name, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var backupId = manifest.BackupId == Guid.Empty ? Guid.NewGuid() : manifest.BackupId;
        var target = BackupRunner.StoredFileName(Path.Combine(directory, BackupRunner.DumpFile), ring.ActiveVersion);
        var temporary = target + ".tmp";
        var plainDump = Path.Combine(directory, BackupRunner.DumpFile + ".plain.tmp");
        var verifier = new RestoreVerifier(connectionString, store, progress, _encryption);
        try
        {
            var rowCounts = await verifier.WithScratchRestoreAsync(name, async (_, restored, scratch, stopwatch) =>
            {
                var report = await verifier.CompareAsync(name, restored, scratch, stopwatch, cancellationToken);
                if (!report.Passed)
                {
                    throw new BackupException($"generation {name} does not match its manifest ({string.Join("; ", report.Findings)}); left as it was.");
                }

                await new ReEncryption(scratch, ring, TextWriter.Null) { BatchSize = 5_000 }.RunAsync(plaintextOnly: false, cancellationToken);
                await KeepOnlyActiveKeyAsync(scratch, cancellationToken);
                await PostgresTools.RunAsync("pg_dump", scratch, ["--format=custom", "--compress=6", "--file", plainDump], cancellationToken);
                await using var connection = new NpgsqlConnection(scratch);
                await connection.OpenAsync(cancellationToken);
                return await DatabaseCatalog.RowCountsAsync(connection, cancellationToken);
            }, cancellationToken);

            var (plainLength, plainSha256) = await _encryption.EncryptFileAsync(plainDump, temporary, backupId, cancellationToken);
            File.Delete(plainDump);

            // The proof that the new file stands on its own: it decrypts, under the current key, to the dump just made.
            string again;
            await using (var check = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                again = await _encryption.DecryptAsync(check, Stream.Null, backupId, name, cancellationToken);
            }

            if (again != plainSha256)
            {
                throw new BackupException($"generation {name}: the re-encrypted file does not decrypt to the same dump; left as it was.");
            }

            File.Move(temporary, target, overwrite: true);
            var (size, sha256) = await BackupStore.MeasureAsync(target, cancellationToken);
            await (manifest with
            {
                BackupId = backupId,
                File = Path.GetFileName(target),
                SizeBytes = size,
                Sha256 = sha256,
                Encryption = new(BackupEncryption.Algorithm, ring.ActiveVersion),
                PlainSizeBytes = plainLength,
                PlainSha256 = plainSha256,
                RowCounts = rowCounts,
                ReEncryptedAt = time.GetUtcNow(),
            }).WriteAsync(directory, cancellationToken);
            var old = Path.Combine(directory, Path.GetFileName(manifest.File));
            if (!string.Equals(old, target, StringComparison.Ordinal))
            {
                File.Delete(old);
            }
        }
        catch (Exception exception) when (exception is FieldDecryptionException or EndOfStreamException)
        {
            throw new BackupException($"generation {name} does not decrypt under {Describe(manifest.Encryption)} ({exception.Message}); left as it was.");
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(plainDump);
        }
    }

    /// <summary>
    /// The restored copy's data_keys become the live active version alone (its wrapped keys, so a restore of the
    /// generation reads its values) plus every earlier version as destroyed, without keys.
    /// </summary>
    private async Task KeepOnlyActiveKeyAsync(string scratch, CancellationToken cancellationToken)
    {
        List<DataKeyVersion> live;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            live = await KeyStore.ListAsync(connection, cancellationToken);
        }

        var active = live.Single(v => v.Version == ring.ActiveVersion);
        await using var target = new NpgsqlConnection(scratch);
        await target.OpenAsync(cancellationToken);
        await using var transaction = await target.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM data_keys", target, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var version in live.Where(v => v.Version <= active.Version))
        {
            var current = version.Version == active.Version;
            await using var insert = new NpgsqlCommand("""
                INSERT INTO data_keys (version, state, wrapped_by, wrapped_data_key, wrapped_index_key, created_at, retired_at, destroyed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, target, transaction)
            {
                Parameters =
                {
                    new() { Value = version.Version },
                    new() { Value = (current ? DataKeyState.Active : DataKeyState.Destroyed).ToString() },
                    new() { Value = version.WrappedBy },
                    new() { Value = current ? version.WrappedDataKey! : DBNull.Value as object, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new() { Value = current ? version.WrappedIndexKey! : DBNull.Value as object, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new() { Value = version.CreatedAt },
                    new() { Value = current ? DBNull.Value : version.RetiredAt ?? time.GetUtcNow() as object, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new() { Value = current ? DBNull.Value : version.DestroyedAt ?? time.GetUtcNow() as object, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            };
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Files an interrupted re-encryption left: anything but the manifest and the file it names.</summary>
    private static void RemoveStrays(string directory, BackupManifest manifest)
    {
        foreach (var file in Directory.GetFiles(directory, BackupRunner.DumpFile + "*"))
        {
            if (!string.Equals(Path.GetFileName(file), Path.GetFileName(manifest.File), StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }

    private static string Describe(BackupEncryptionInfo? info) =>
        info is null ? "no encryption" : string.Create(CultureInfo.InvariantCulture, $"key version {info.KeyVersion}");
}
