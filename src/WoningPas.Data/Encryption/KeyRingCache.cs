namespace WoningPas.Data.Encryption;

/// <summary>
/// A host's key ring, reloaded a minute after it was loaded (so that a rotation's new version reaches running hosts)
/// and at once when a value names a version the ring does not hold.
/// </summary>
public sealed class KeyRingCache(string connectionString, IKeyEncryptionKey kek, TimeProvider time)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (KeyRing Ring, DateTimeOffset LoadedAt)? _current;

    public async ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken) =>
        _current is { } current && time.GetUtcNow() - current.LoadedAt < RefreshAfter
            ? current.Ring
            : await ReloadAsync(current: _current?.Ring, cancellationToken);

    /// <summary>A ring that holds the key version of <paramref name="value"/>, if any ring can.</summary>
    public async ValueTask<KeyRing> ForAsync(byte[] value, CancellationToken cancellationToken)
    {
        var ring = await GetAsync(cancellationToken);
        return ring.Knows(KeyRing.VersionOf(value)) ? ring : await ReloadAsync(ring, cancellationToken);
    }

    /// <summary>A ring that holds <paramref name="version"/>, if any ring can.</summary>
    public async ValueTask<KeyRing> ForVersionAsync(int version, CancellationToken cancellationToken)
    {
        var ring = await GetAsync(cancellationToken);
        return ring.Knows(version) ? ring : await ReloadAsync(ring, cancellationToken);
    }

    /// <summary>
    /// The ring, reloaded first when the database has key versions it does not reflect (a rotation since it was
    /// loaded). Cheap: one query of a tiny table. For a lookup that missed, before concluding the row is not there.
    /// </summary>
    public async Task<KeyRing> CurrentAsync(CancellationToken cancellationToken)
    {
        var ring = await GetAsync(cancellationToken);
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var versions = await KeyStore.ListAsync(connection, cancellationToken);
        var upToDate = versions.Single(v => v.State == DataKeyState.Active).Version == ring.ActiveVersion
            && versions.Where(v => v.State != DataKeyState.Destroyed).All(v => ring.Knows(v.Version));
        return upToDate ? ring : await ReloadAsync(ring, cancellationToken);
    }

    private async Task<KeyRing> ReloadAsync(KeyRing? current, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have reloaded while this one waited.
            if (_current is { } loaded && !ReferenceEquals(loaded.Ring, current))
            {
                return loaded.Ring;
            }

            var ring = await KeyRing.LoadAsync(connectionString, kek, time, cancellationToken);
            _current = (ring, time.GetUtcNow());
            return ring;
        }
        finally
        {
            _loading.Release();
        }
    }
}
