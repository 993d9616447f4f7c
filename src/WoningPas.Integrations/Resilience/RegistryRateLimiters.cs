using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Resilience;

/// <summary>
/// One token bucket per registry for the whole process: every client, pipeline instance and caller of a registry
/// takes its tokens from the same bucket. Sized to this replica's share of the registry's published capacity.
/// </summary>
public sealed class RegistryRateLimiters(IOptionsMonitor<RegistryOptions> options, IOptions<RegistriesOptions> cluster)
    : IDisposable
{
    /// <summary>Refilling in slices of at least this long keeps the timer cheap for registries with a high capacity.</summary>
    private static readonly TimeSpan MinimumReplenishment = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, Lazy<TokenBucketRateLimiter>> _limiters = new(StringComparer.Ordinal);

    public RateLimiter For(string registry) =>
        _limiters.GetOrAdd(registry, name => new Lazy<TokenBucketRateLimiter>(() => Create(options.Get(name), cluster.Value.Replicas))).Value;

    /// <summary>Aim this far below the published capacity: scheduling and network jitter must never push a burst over it.</summary>
    public const double Headroom = 0.9;

    /// <summary>
    /// Rate = capacity × <see cref="Headroom"/> ÷ replicas. The bucket holds half a second of that rate, while the registry's own bucket holds a
    /// full second: a burst that network jitter squeezes together still fits. The queue holds what the rate can serve
    /// within <see cref="RegistryOptions.MaxQueueWait"/>; a call beyond that is refused at once rather than late.
    /// </summary>
    public static TokenBucketRateLimiter Create(RegistryOptions registry, int replicas)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var rate = registry.Capacity * Headroom / Math.Max(1, replicas);
        var period = TimeSpan.FromSeconds(Math.Max(1 / rate, MinimumReplenishment.TotalSeconds));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)(rate / 2)),
            TokensPerPeriod = Math.Max(1, (int)Math.Floor(rate * period.TotalSeconds)),
            ReplenishmentPeriod = period,
            QueueLimit = (int)Math.Ceiling(rate * registry.MaxQueueWait.TotalSeconds),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values.Where(l => l.IsValueCreated))
        {
            limiter.Value.Dispose();
        }
    }
}
