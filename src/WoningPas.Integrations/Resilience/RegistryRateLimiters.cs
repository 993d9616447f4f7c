using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Resilience;

/// <summary>
/// One limiter per registry for the whole process: every client, pipeline instance and caller of a registry takes
/// its tokens from the same bucket and its place from the same cap on calls in flight. Sized to this replica's share
/// of the registry's published capacity.
/// </summary>
public sealed class RegistryRateLimiters(IOptionsMonitor<RegistryOptions> options, IOptions<RegistriesOptions> cluster)
    : IDisposable
{
    /// <summary>Refilling in slices of at least this long keeps the timer cheap for registries with a high capacity.</summary>
    private static readonly TimeSpan MinimumReplenishment = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, Lazy<RegistryLimiter>> _limiters = new(StringComparer.Ordinal);

    public RateLimiter For(string registry) =>
        _limiters.GetOrAdd(registry, name => new Lazy<RegistryLimiter>(() => Create(options.Get(name), cluster.Value.Replicas))).Value.Chained;

    /// <summary>Aim this far below the published capacity: scheduling and network jitter must never push a burst over it.</summary>
    public const double Headroom = 0.9;

    /// <summary>
    /// Rate = capacity × <see cref="Headroom"/> ÷ replicas. The bucket holds half a second of that rate, while the registry's own bucket holds a
    /// full second: a burst that network jitter squeezes together still fits. The queue holds what the rate can serve
    /// within <see cref="RegistryOptions.MaxQueueWait"/>; a call beyond that is refused at once rather than late.
    /// Calls in flight are capped at the bucket's size too: when this process stalls (a pause, a starved thread pool),
    /// the calls it already let through arrive at the registry together afterwards, and without the cap a stall of a
    /// second or more would squeeze more than the registry's bucket into one burst.
    /// </summary>
    public static RegistryLimiter Create(RegistryOptions registry, int replicas)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var rate = registry.Capacity * Headroom / Math.Max(1, replicas);
        var period = TimeSpan.FromSeconds(Math.Max(1 / rate, MinimumReplenishment.TotalSeconds));
        var burst = Math.Max(1, (int)(rate / 2));
        var queue = (int)Math.Ceiling(rate * registry.MaxQueueWait.TotalSeconds);
        var inFlight = new ConcurrencyLimiterOptions
        {
            PermitLimit = burst,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        var tokens = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Floor(rate * period.TotalSeconds)),
            ReplenishmentPeriod = period,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
        return new RegistryLimiter(inFlight, tokens);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values.Where(l => l.IsValueCreated))
        {
            limiter.Value.Dispose();
        }
    }
}

/// <summary>The cap on calls in flight, then the token bucket; disposing the chain does not dispose its parts.</summary>
public sealed class RegistryLimiter : IDisposable
{
    private readonly ConcurrencyLimiter _inFlight;
    private readonly TokenBucketRateLimiter _tokens;

    public RegistryLimiter(ConcurrencyLimiterOptions inFlight, TokenBucketRateLimiterOptions tokens)
    {
        _inFlight = new ConcurrencyLimiter(inFlight);
        _tokens = new TokenBucketRateLimiter(tokens);
        Chained = RateLimiter.CreateChained(_inFlight, _tokens);
    }

    public RateLimiter Chained { get; }

    public void Dispose()
    {
        Chained.Dispose();
        _inFlight.Dispose();
        _tokens.Dispose();
    }
}
