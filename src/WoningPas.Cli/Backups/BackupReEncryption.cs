using System.Globalization;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Backups;

internal sealed record BackupReEncryptionSummary(List<string> ReEncrypted, int AlreadyCurrent, List<string> Failures);

/// <summary>
/// Key rotation for backups: every generation (failed ones too: they hold the data as well) that is not under the
/// active key version is streamed through decryption under its old version and encryption under the active one into a
/// new file beside the old, checked (the plain dump's SHA-256 must equal the manifest's, and the new file must decrypt
/// to it again), and only then made the generation's file by replacing the manifest in one rename; the old file is
/// deleted after that. At every moment the manifest names a complete, verified file, so an interruption loses nothing:
/// the next run removes the stray new file and starts that generation again.
/// </summary>
internal sealed class BackupReEncryption(BackupStore store, BackupEncryption encryption, TimeProvider time, TextWriter progress)
{
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
                if (manifest.Encryption?.KeyVersion == encryption.CurrentKeyVersion)
                {
                    current++;
                    continue;
                }

                await ReEncryptAsync(directory, name, manifest, cancellationToken);
                reEncrypted.Add(name);
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Backup {name}: re-encrypted from {Describe(manifest.Encryption)} to key version {encryption.CurrentKeyVersion} and verified."));
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
        var stored = Path.Combine(directory, Path.GetFileName(manifest.File));
        await RestoreVerifier.CheckFileAsync(name, stored, manifest, cancellationToken);
        var backupId = manifest.BackupId == Guid.Empty ? Guid.NewGuid() : manifest.BackupId;
        var target = BackupRunner.StoredFileName(Path.Combine(directory, BackupRunner.DumpFile), encryption.CurrentKeyVersion);
        var temporary = target + ".tmp";
        try
        {
            long plainLength;
            string plainSha256;
            await using (var input = new FileStream(stored, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            await using (var output = new FileStream(temporary, PrivateFile()))
            {
                plainLength = manifest.Encryption is null ? input.Length
                    : manifest.PlainSizeBytes ?? BackupEncryption.PlainLength(input.Length);
                await using var plain = manifest.Encryption is null ? input : encryption.Decrypting(input, manifest.BackupId);
                plainSha256 = await encryption.EncryptAsync(plain, plainLength, output, backupId, cancellationToken);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }

            var expected = manifest.Encryption is null ? manifest.Sha256 : manifest.PlainSha256;
            if (expected is not null && !string.Equals(expected, plainSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new BackupException(
                    $"generation {name} decrypts to a dump with SHA-256 {plainSha256}, its manifest says {expected}; left as it was.");
            }

            // The proof that the new file stands on its own: it decrypts, under the current key, to the same dump.
            string again;
            await using (var check = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                again = await encryption.DecryptAsync(check, Stream.Null, backupId, name, cancellationToken);
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
                Encryption = new(BackupEncryption.Algorithm, encryption.CurrentKeyVersion),
                PlainSizeBytes = plainLength,
                PlainSha256 = plainSha256,
                ReEncryptedAt = time.GetUtcNow(),
            }).WriteAsync(directory, cancellationToken);
            if (!string.Equals(stored, target, StringComparison.Ordinal))
            {
                File.Delete(stored);
            }
        }
        catch (Exception exception) when (exception is FieldDecryptionException or EndOfStreamException)
        {
            throw new BackupException($"generation {name} does not decrypt under {Describe(manifest.Encryption)} ({exception.Message}); left as it was.");
        }
        finally
        {
            File.Delete(temporary);
        }
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

    private static FileStreamOptions PrivateFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static string Describe(BackupEncryptionInfo? info) =>
        info is null ? "no encryption" : string.Create(CultureInfo.InvariantCulture, $"key version {info.KeyVersion}");
}
