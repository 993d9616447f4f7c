using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Caching;

/// <summary>
/// The data cache in front of every registry client (HybridCache; docs/decisions/0004). Per key: one upstream call
/// however many requests wait (HybridCache's stampede protection), a fresh copy kept for the registry's TTL, and a
/// last-good copy kept much longer and served, marked stale with its age, when the registry fails, is over capacity
/// or its breaker is open. A failure is never cached: the next request asks the registry again (through the breaker).
/// Keys and tags hold registry names, CaPaKeys and dwelling ids, never a personal identifier.
/// </summary>
public sealed partial class RegistryCache(HybridCache cache, IOptionsMonitor<RegistryOptions> options, TimeProvider time,
    CacheInvalidationBus bus, ILogger<RegistryCache> logger)
{
    private readonly HybridCache _cache = cache;
    private readonly TimeProvider _time = time;

    /// <summary>
    /// When each tag was last invalidated, here or on another replica. HybridCache's own tag check does not reach an
    /// entry this process took from Redis (measured: ReplicaTests), so a read also compares the answer's own
    /// retrieval time with this, and drops a copy older than the invalidation from both levels.
    /// </summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _invalidatedAt = new(StringComparer.Ordinal);

    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    public static string RegistryTag(string registry) => "registry:" + registry;

    public static string DwellingTag(Guid dwellingId) => "dwelling:" + dwellingId.ToString("N");

    public static string ParcelTag(string capaKey) => "parcel:" + capaKey;

    /// <summary>
    /// The answer for <paramref name="key"/> at <paramref name="registry"/>: fresh from the cache or the registry, else
    /// the last good one marked stale, else unavailable. Only the caller's own cancellation escapes as an exception.
    /// </summary>
    public async Task<RegistryRead<T>> ReadAsync<T>(string registry, string key, IEnumerable<string> tags,
        Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var settings = options.Get(registry);
        string[] allTags = [RegistryTag(registry), .. tags];
        var freshKey = $"registry:{registry}:fresh:{key}";
        var state = new FetchState<T>(this, fetch, $"registry:{registry}:last-good:{key}", settings.StaleFor);
        try
        {
            var entryOptions = new HybridCacheEntryOptions { Expiration = settings.CacheTtl, LocalCacheExpiration = settings.CacheTtl };
            var answer = await _cache.GetOrCreateAsync(freshKey, state, static async (s, token) => await s.FetchAsync(token),
                entryOptions, allTags, cancellationToken);
            if (InvalidatedSince(answer.RetrievedAt, allTags))
            {
                await _cache.RemoveAsync(freshKey, cancellationToken);
                answer = await _cache.GetOrCreateAsync(freshKey, state, static async (s, token) => await s.FetchAsync(token),
                    entryOptions, allTags, cancellationToken);
            }

            return new RegistryRead<T>(Freshness.Fresh, answer.Value, answer.RetrievedAt, Age(answer.RetrievedAt));
        }
        catch (Exception exception) when (IsRegistryFailure(exception, cancellationToken))
        {
            LogRegistryFailed(logger, registry, exception.GetType().Name, exception.Message);
            var lastGood = await _cache.GetOrCreateAsync<CachedAnswer<T>?>(state.LastGoodKey,
                static _ => ValueTask.FromResult<CachedAnswer<T>?>(null), ReadOnly, cancellationToken: cancellationToken);
            return lastGood is null
                ? RegistryRead<T>.Unavailable
                : new RegistryRead<T>(Freshness.Stale, lastGood.Value, lastGood.RetrievedAt, Age(lastGood.RetrievedAt));
        }
    }

    /// <summary>
    /// Drops the fresh copies of a registry, here and (through Redis) on every other replica: the next read asks the
    /// registry. Last-good copies stay, for outages.
    /// </summary>
    public Task InvalidateRegistryAsync(string registry, CancellationToken cancellationToken = default) =>
        InvalidateAsync(RegistryTag(registry), cancellationToken);

    public Task InvalidateDwellingAsync(Guid dwellingId, CancellationToken cancellationToken = default) =>
        InvalidateAsync(DwellingTag(dwellingId), cancellationToken);

    public Task InvalidateParcelAsync(string capaKey, CancellationToken cancellationToken = default) =>
        InvalidateAsync(ParcelTag(capaKey), cancellationToken);

    private async Task InvalidateAsync(string tag, CancellationToken cancellationToken)
    {
        await InvalidateLocallyAsync(tag, cancellationToken);
        await bus.PublishAsync(tag);
    }

    /// <summary>An invalidation in this process only: the caller's own, or one another replica broadcast.</summary>
    internal async Task InvalidateLocallyAsync(string tag, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _invalidatedAt[tag] = now;
        if (_invalidatedAt.Count > MaxRememberedInvalidations)
        {
            // Older than any TTL allows, an invalidation can no longer concern a cached copy.
            foreach (var old in _invalidatedAt.Where(i => now - i.Value > TimeSpan.FromDays(31)))
            {
                _invalidatedAt.TryRemove(old);
            }
        }

        await _cache.RemoveByTagAsync(tag, cancellationToken);
    }

    private const int MaxRememberedInvalidations = 100_000;

    /// <summary>Strictly older: a copy taken in the very instant of the invalidation counts as after it.</summary>
    private bool InvalidatedSince(DateTimeOffset retrievedAt, string[] tags) =>
        tags.Any(tag => _invalidatedAt.TryGetValue(tag, out var at) && retrievedAt < at);

    private TimeSpan Age(DateTimeOffset retrievedAt)
    {
        var age = _time.GetUtcNow() - retrievedAt;
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }

    /// <summary>Everything a failing registry can throw through the pipeline; a caller's own cancellation is not one.</summary>
    private static bool IsRegistryFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        HttpRequestException or BrokenCircuitException or RateLimiterRejectedException or TimeoutRejectedException
            or OperationCanceledException or System.Text.Json.JsonException or RegistryAnswerException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry {Registry} failed ({Failure}): {Reason}; serving the cached copy if any")]
    private static partial void LogRegistryFailed(ILogger logger, string registry, string failure, string reason);

    /// <summary>
    /// The factory's state: it also writes the last-good copy, so both copies come from the same one call. The last-good
    /// copy carries no tags on purpose: an invalidation means "ask again", and while the registry cannot answer, the
    /// old copy, marked stale with its age, is still better than nothing.
    /// </summary>
    private sealed class FetchState<T>(RegistryCache owner, Func<CancellationToken, Task<T>> fetch, string lastGoodKey,
        TimeSpan staleFor)
    {
        public string LastGoodKey => lastGoodKey;

        public async Task<CachedAnswer<T>> FetchAsync(CancellationToken cancellationToken)
        {
            var answer = new CachedAnswer<T>(await fetch(cancellationToken), owner._time.GetUtcNow());
            await owner._cache.SetAsync(lastGoodKey, answer,
                new HybridCacheEntryOptions { Expiration = staleFor, LocalCacheExpiration = staleFor },
                cancellationToken: cancellationToken);
            return answer;
        }
    }
}

/// <summary>A registry answered, but not with something the client can use (an unexpected status or an empty body).</summary>
public sealed class RegistryAnswerException : Exception
{
    public RegistryAnswerException()
    {
    }

    public RegistryAnswerException(string message)
        : base(message)
    {
    }

    public RegistryAnswerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
