using System.Globalization;
using Npgsql;
using WoningPas.Cli.Backups;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Keys;

/// <summary>
/// The operator's key management: rotate the data keys (database values and backup generations), list the versions in
/// use, destroy a retired one.
/// </summary>
internal sealed class KeyCommands(string connectionString, IKeyEncryptionKey kek, TimeProvider time, TextWriter output,
    TextWriter progress)
{
    /// <summary>Any fixed number: the session lock that keeps two rotations from running at once.</summary>
    private const long RotationLock = 0x576f6e696e6750;

    public int BatchSize { get; init; } = 2_000;

    /// <summary>The backup generations that key rotation re-encrypts and destroy-key counts; none when null.</summary>
    public BackupStore? Backups { get; init; }

    /// <summary>Generations the last rotation could not re-encrypt (each with the reason); they keep their old key.</summary>
    public List<string> BackupFailures { get; } = [];

    /// <summary>
    /// Makes a new active version (unless an interrupted rotation is still moving values to the current one, which it
    /// then continues), re-encrypts every value under it, retires the versions left empty, and prints the count of
    /// values per version. Returns the counts.
    /// </summary>
    public async Task<IReadOnlyList<VersionCount>> RotateAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = RotationLock } } })
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                throw new InvalidOperationException("Another rotate-keys is running against this database.");
            }
        }

        // A first run on an empty key table makes version 1, which the rotation then replaces.
        await KeyRing.LoadAsync(connectionString, kek, time, cancellationToken);
        var versions = await KeyStore.ListAsync(connection, cancellationToken);
        var active = versions.Single(v => v.State == DataKeyState.Active).Version;
        if (versions.Any(v => v.State == DataKeyState.Retiring))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Continuing the interrupted rotation to key version {active}."));
        }
        else
        {
            active = await KeyStore.AddVersionAsync(connection, kek, time, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Created key version {active}; the previous version is retiring."));
        }

        var ring = await KeyRing.LoadAsync(connectionString, kek, time, cancellationToken);
        var rewritten = await new ReEncryption(connectionString, ring, progress) { BatchSize = BatchSize }
            .RunAsync(plaintextOnly: false, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Re-encrypted {rewritten:N0} rows under key version {active}."));

        if (Backups is not null)
        {
            var backups = await new BackupReEncryption(connectionString, Backups, ring, time, progress).RunAsync(cancellationToken);
            BackupFailures.AddRange(backups.Failures);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Re-encrypted {backups.ReEncrypted.Count} backup generations under key version {active} ({backups.AlreadyCurrent} already were)."));
            foreach (var failure in backups.Failures)
            {
                await output.WriteLineAsync("  NOT re-encrypted: " + failure);
            }
        }

        var counts = await ReEncryption.CountAsync(connectionString, cancellationToken);
        var emptied = (await KeyStore.ListAsync(connection, cancellationToken))
            .Where(v => v.State == DataKeyState.Retiring && !counts.Any(c => c.Version == v.Version && c.Values > 0))
            .Select(v => v.Version)
            .ToList();
        await KeyStore.RetireAsync(connection, emptied, time, cancellationToken);
        await ListAsync(cancellationToken);
        return counts;
    }

    /// <summary>Every key version with its state, dates, wrapping key and how many values it still encrypts.</summary>
    public async Task ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var versions = await KeyStore.ListAsync(connection, cancellationToken);
        var counts = await ReEncryption.CountAsync(connectionString, cancellationToken);
        var backups = await BackupVersionsAsync(cancellationToken);
        await output.WriteLineAsync("version  state      values       backups  created           retired           destroyed         wrapped by");
        foreach (var version in versions)
        {
            var values = counts.Where(c => c.Version == version.Version).Sum(c => c.Values);
            var generations = backups.Count(b => b.Value == version.Version);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{version.Version,7}  {version.State,-9}  {values,11:N0}  {generations,7}  {Date(version.CreatedAt),-16}  {Date(version.RetiredAt),-16}  {Date(version.DestroyedAt),-16}  {version.WrappedBy}"));
        }

        var inUse = counts.Where(c => c.Values > 0 && c.Version > 0).Select(c => c.Version)
            .Concat(backups.Values.OfType<int>()).Distinct().Order().ToList();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Key versions in use (database values and {backups.Count} backup generations in {Backups?.Directory ?? "no backup directory"}): {(inUse.Count == 0 ? "none" : string.Join(", ", inUse))}."));
        var unencrypted = backups.Where(b => b.Value is null).Select(b => b.Key).ToList();
        if (unencrypted.Count > 0)
        {
            await output.WriteLineAsync(
                $"{unencrypted.Count} backup generations are not encrypted ({string.Join(", ", unencrypted)}): rotate-keys encrypts them.");
        }

        var plaintext = counts.Where(c => c.Version == 0).Sum(c => c.Values);
        if (plaintext > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{plaintext:N0} values are not encrypted yet: run `woningpas migrate`."));
        }

        foreach (var column in counts.GroupBy(c => $"{c.Table}.{c.Column}"))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {column.Key}: {string.Join(", ", column.Select(c => $"version {c.Version}: {c.Values:N0}"))}"));
        }
    }

    /// <summary>
    /// Erases a retired version's wrapped keys (crypto-shredding): refused while any value still uses it or when it is
    /// not retired. True when destroyed.
    /// </summary>
    public async Task<bool> DestroyAsync(int version, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var remaining = (await ReEncryption.CountAsync(connectionString, cancellationToken))
            .Where(c => c.Version == version).Sum(c => c.Values);
        if (remaining > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Key version {version} still encrypts {remaining:N0} values; run rotate-keys first. Nothing destroyed."));
            return false;
        }

        var generations = (await BackupVersionsAsync(cancellationToken)).Where(b => b.Value == version).Select(b => b.Key).ToList();
        if (generations.Count > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Key version {version} still encrypts {generations.Count} backup generations ({string.Join(", ", generations)}); run rotate-keys first to re-encrypt them. Nothing destroyed."));
            return false;
        }

        if (!await KeyStore.DestroyAsync(connection, version, time, cancellationToken))
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Key version {version} is not a retired version; only a retired version can be destroyed. Nothing destroyed."));
            return false;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Key version {version} destroyed: its wrapped keys are erased, so anything encrypted under it (in this database or a backup) can no longer be decrypted."));
        return true;
    }

    private async Task<SortedDictionary<string, int?>> BackupVersionsAsync(CancellationToken cancellationToken) =>
        Backups is null ? new(StringComparer.Ordinal) : await BackupReEncryption.KeyVersionsAsync(Backups, cancellationToken);

    private static string Date(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";
}
