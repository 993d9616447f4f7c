using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using WoningPas.Data;

namespace WoningPas.Api.Passport;

public sealed class PassportCacheSettings
{
    public const string Section = "PassportCache";

    /// <summary>Off, every read goes to the database (the data bench measures that path).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A bound, not the freshness: a change is dropped from the cache as soon as PostgreSQL announces it. The bound
    /// limits how long a destroyed key's plaintext could outlive it should an announcement ever be lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "PassportCache:Ttl must lie between 1 second and 1 day.")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many dwellings this process keeps; the least recently added go first (a few kB each).</summary>
    [Range(1, 10_000_000, ErrorMessage = "PassportCache:MaxDwellings must lie between 1 and 10,000,000.")]
    public int MaxDwellings { get; set; } = 100_000;
}

/// <summary>
/// The stored part of passports (database sections and holders) this process has read, kept in memory with exact
/// invalidation: <see cref="PassportChangeListener"/> hands over every change PostgreSQL announces at commit
/// (<see cref="PassportChanges"/>), whoever wrote it. Whatever this cache answers, each request is still authorised
/// on the day of the request and access-logged: the cache saves the query, never a check. While the announcements
/// cannot be heard (no listening connection yet, or lost), nothing is served from or stored in the cache.
/// </summary>
public sealed class PassportCache : IDisposable
{
    private const int Stripes = 4096;

    /// <summary>
    /// How long a writer waits for its own marker. Not hearing it means the listener is behind or gone, and the cache
    /// is emptied rather than trusted.
    /// </summary>
    private static readonly TimeSpan MarkerPatience = TimeSpan.FromSeconds(5);

    private readonly PassportCacheSettings _settings;
    private readonly TimeProvider _time;
    private readonly MemoryCache _entries;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new(StringComparer.Ordinal);

    /// <summary>
    /// Change counters: one per stripe of dwelling ids, and one for "everything". A read that started before a change
    /// to its dwelling was announced sees a counter move and does not keep what it read, which may predate the change.
    /// </summary>
    private readonly long[] _changes = new long[Stripes];
    private long _everythingChanges;
    private volatile bool _listening;

    public PassportCache(IOptions<PassportCacheSettings> settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings.Value;
        _time = time;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = _settings.MaxDwellings });
    }

    /// <summary>Whether reads are served from memory now: enabled, and the change announcements are heard.</summary>
    public bool IsActive => _settings.Enabled && _listening;

    /// <summary>Dwellings held now (for tests and monitoring).</summary>
    public long Count => _entries.Count;

    /// <summary>The passport of <paramref name="dwellingId"/> from memory, else from the database (and kept).</summary>
    public async Task<PassportRow?> ReadAsync(WoningPasDbContext db, Guid dwellingId, CancellationToken cancellationToken)
    {
        if (!IsActive)
        {
            return await PassportReader.ReadAsync(db, dwellingId, cancellationToken);
        }

        if (_entries.TryGetValue(dwellingId, out PassportRow? cached))
        {
            return cached;
        }

        var before = ChangesOf(dwellingId);
        var row = await PassportReader.ReadAsync(db, dwellingId, cancellationToken);
        if (row is null || !IsActive || ChangesOf(dwellingId) != before)
        {
            return row;
        }

        _entries.Set(dwellingId, row, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _settings.Ttl });
        // A change announced between the check above and the Set is caught here: either it already moved the counter,
        // or its removal comes after the Set.
        if (ChangesOf(dwellingId) != before)
        {
            _entries.Remove(dwellingId);
        }

        return row;
    }

    /// <summary>
    /// Returns once this process has heard every change committed before the call. A writer in this process calls it
    /// after its commit, so that its user's next request (served by this replica) reads what was just written instead
    /// of the copy held here until the announcement arrives, milliseconds later. PostgreSQL delivers announcements in
    /// commit order, so hearing a marker sent after the commit means the commit's own announcement was handled first.
    /// </summary>
    public async Task CatchUpAsync(WoningPasDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!IsActive)
        {
            return;
        }

        var marker = PassportChanges.MarkerPrefix + Guid.NewGuid().ToString("N");
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[marker] = heard;
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({PassportChanges.Channel}, {marker})", cancellationToken);
            await heard.Task.WaitAsync(MarkerPatience, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            DropEverything();
        }
        finally
        {
            _markers.TryRemove(marker, out _);
        }
    }

    /// <summary>One announcement: dwelling ids separated by spaces, or <see cref="PassportChanges.Everything"/>.</summary>
    public void Changed(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.StartsWith(PassportChanges.MarkerPrefix, StringComparison.Ordinal))
        {
            if (_markers.TryGetValue(payload, out var heard))
            {
                heard.TrySetResult();
            }

            return;
        }

        if (payload == PassportChanges.Everything)
        {
            DropEverything();
            return;
        }

        foreach (var range in payload.AsSpan().Split(' '))
        {
            if (Guid.TryParse(payload.AsSpan(range), out var dwellingId))
            {
                Interlocked.Increment(ref _changes[Stripe(dwellingId)]);
                _entries.Remove(dwellingId);
            }
            else if (!payload.AsSpan(range).IsEmpty)
            {
                // Not an announcement this version understands: safer to forget everything than to keep a stale copy.
                DropEverything();
                return;
            }
        }
    }

    /// <summary>
    /// The listener heard (or stopped hearing) the announcements. Either way what is held may have missed one, so it
    /// goes; from then on the cache is used only while listening.
    /// </summary>
    public void Listening(bool listening)
    {
        _listening = listening;
        DropEverything();
        // A writer waiting for its marker need not wait any longer: nothing held before this moment is served.
        foreach (var heard in _markers.Values)
        {
            heard.TrySetResult();
        }
    }

    private void DropEverything()
    {
        Interlocked.Increment(ref _everythingChanges);
        _entries.Clear();
    }

    private (long Everything, long Stripe) ChangesOf(Guid dwellingId) =>
        (Volatile.Read(ref _everythingChanges), Volatile.Read(ref _changes[Stripe(dwellingId)]));

    private static int Stripe(Guid dwellingId) => (int)((uint)dwellingId.GetHashCode() % Stripes);

    public void Dispose() => _entries.Dispose();
}
