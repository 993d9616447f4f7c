using System.Collections.Concurrent;

namespace WoningPas.Simulators.Simulation;

/// <summary>What a registry's gateway decided about one call.</summary>
public enum Admission
{
    Admitted,
    Unauthorised,
    OverCapacity,
    Outage,
    InjectedError,
}

/// <summary>Counters of one registry since start or the last reset.</summary>
public sealed record RegistryStats(string Name, long Calls, long Served, long OverCapacity, long Unauthorised,
    long OutageRejections, long InjectedErrors, int DistinctKeys, double Capacity, int LatencyMs, int JitterMs,
    double ErrorRate, bool Outage);

/// <summary>
/// One simulated registry: its settings (changeable while it runs), a token bucket of its published capacity, and
/// counters of every call. Thread-safe: the settings and the bucket share one lock, the counters are interlocked.
/// </summary>
public sealed class SimulatedRegistry
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private readonly RegistrySettings _settings;
    private double _tokens;
    private long _refilledAt;
    private long _calls;
    private long _served;
    private long _overCapacity;
    private long _unauthorised;
    private long _outageRejections;
    private long _injectedErrors;

    public SimulatedRegistry(string name, RegistrySettings settings, TimeProvider time)
    {
        Name = name;
        _time = time;
        _settings = new RegistrySettings
        {
            ApiKeyHeader = settings.ApiKeyHeader,
            ApiKey = settings.ApiKey,
            Capacity = settings.Capacity,
            LatencyMs = settings.LatencyMs,
            JitterMs = settings.JitterMs,
            ErrorRate = settings.ErrorRate,
            Outage = settings.Outage,
        };
        Refill();
    }

    public string Name { get; }

    public string ApiKeyHeader => _settings.ApiKeyHeader;

    /// <summary>Decides a call the way the registry's gateway would: key, then rate limit, then the backend's state.</summary>
    public (Admission Admission, TimeSpan Delay, int RetryAfterSeconds) Admit(string? apiKey, string resourceKey)
    {
        Interlocked.Increment(ref _calls);
        _keys.TryAdd(resourceKey, 0);
        lock (_gate)
        {
            if (!string.Equals(apiKey, _settings.ApiKey, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _unauthorised);
                return (Admission.Unauthorised, TimeSpan.Zero, 0);
            }

            TopUp();
            if (_tokens < 1)
            {
                Interlocked.Increment(ref _overCapacity);
                var wait = (1 - _tokens) / _settings.Capacity;
                return (Admission.OverCapacity, TimeSpan.Zero, Math.Max(1, (int)Math.Ceiling(wait)));
            }

            _tokens -= 1;
            if (_settings.Outage)
            {
                Interlocked.Increment(ref _outageRejections);
                return (Admission.Outage, TimeSpan.Zero, 0);
            }

            var delay = TimeSpan.FromMilliseconds(_settings.LatencyMs + (_settings.JitterMs > 0 ? Random.Shared.Next(_settings.JitterMs + 1) : 0));
            if (_settings.ErrorRate > 0 && Random.Shared.NextDouble() < _settings.ErrorRate)
            {
                Interlocked.Increment(ref _injectedErrors);
                return (Admission.InjectedError, delay, 0);
            }

            Interlocked.Increment(ref _served);
            return (Admission.Admitted, delay, 0);
        }
    }

    public void Change(RegistryChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (change.Capacity is { } capacity)
            {
                _settings.Capacity = capacity;
                Refill();
            }

            _settings.LatencyMs = change.LatencyMs ?? _settings.LatencyMs;
            _settings.JitterMs = change.JitterMs ?? _settings.JitterMs;
            _settings.ErrorRate = change.ErrorRate ?? _settings.ErrorRate;
            _settings.Outage = change.Outage ?? _settings.Outage;
        }
    }

    /// <summary>Zeroes the counters and fills the bucket, so that a test or a bench measures only its own calls.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _calls, 0);
            Interlocked.Exchange(ref _served, 0);
            Interlocked.Exchange(ref _overCapacity, 0);
            Interlocked.Exchange(ref _unauthorised, 0);
            Interlocked.Exchange(ref _outageRejections, 0);
            Interlocked.Exchange(ref _injectedErrors, 0);
            _keys.Clear();
            Refill();
        }
    }

    public RegistryStats Stats()
    {
        lock (_gate)
        {
            return new RegistryStats(Name, Interlocked.Read(ref _calls), Interlocked.Read(ref _served),
                Interlocked.Read(ref _overCapacity), Interlocked.Read(ref _unauthorised),
                Interlocked.Read(ref _outageRejections), Interlocked.Read(ref _injectedErrors), _keys.Count,
                _settings.Capacity, _settings.LatencyMs, _settings.JitterMs, _settings.ErrorRate, _settings.Outage);
        }
    }

    /// <summary>The bucket holds one second of capacity (at least one call) and refills continuously.</summary>
    private double BucketSize => Math.Max(1, _settings.Capacity);

    private void Refill()
    {
        _tokens = BucketSize;
        _refilledAt = _time.GetTimestamp();
    }

    private void TopUp()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_refilledAt, now);
        _refilledAt = now;
        _tokens = Math.Min(BucketSize, _tokens + (elapsed.TotalSeconds * _settings.Capacity));
    }
}
