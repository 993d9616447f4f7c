using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WoningPas.Api.Account;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// The per-user and per-address limits across every replica (docs/decisions/0010). With Redis (<c>ConnectionStrings:Redis</c>)
/// each request spends from one shared fixed window per user and per address, checked and counted in one atomic
/// script, so N replicas together allow exactly the configured budget. Without Redis, or while Redis does not answer
/// within <c>RateLimits:RedisTimeout</c>, each replica enforces its share (budget ÷ <c>RateLimits:Replicas</c>) in process:
/// the combined allowance still holds, nothing waits on a dead Redis, and the Api never goes unlimited.
/// </summary>
public sealed partial class ClusterRateLimiter : PartitionedRateLimiter<HttpContext>
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(30);

    // Checks every key first and counts only when all are under their limit, so a refused request spends nothing.
    private const string SpendScript = """
        local n = #KEYS
        for i = 1, n do
          if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then return i end
        end
        for i = 1, n do
          if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[n + 1]) end
        end
        return 0
        """;

    private readonly IOptions<RateLimitSettings> _settings;
    private readonly IServiceProvider _services;
    private readonly bool _redisConfigured;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterRateLimiter> _logger;
    private readonly LocalWindows _local = new();
    private IDatabase? _redis;

    // UTC ticks of Redis's last failure, read and written from many requests at once.
    private long _redisFailedAt = DateTimeOffset.MinValue.UtcTicks;

    public ClusterRateLimiter(IOptions<RateLimitSettings> settings, IServiceProvider services, IConfiguration configuration,
        TimeProvider time, ILogger<ClusterRateLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        _settings = settings;
        _services = services;
        _redisConfigured = configuration.GetConnectionString("Redis") is { Length: > 0 };
        _time = time;
        _logger = logger;
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// Decides at once in process when Redis is not in use. When it is, this never decides: the middleware then asks
    /// <see cref="AcquireAsyncCore"/>, which does the one round trip.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        Redis() is null ? SpendLocally(Spending.Of(resource, _settings.Value, _time)) : Lease.Pending;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount,
        CancellationToken cancellationToken)
    {
        var spending = Spending.Of(resource, _settings.Value, _time);
        if (Redis() is not { } redis)
        {
            return SpendLocally(spending);
        }

        RedisKey[] keys = [.. spending.Keys.Select(key => (RedisKey)string.Create(CultureInfo.InvariantCulture, $"woningpas:ratelimit:{spending.Window}:{key}"))];
        RedisValue[] arguments = [.. spending.Limits.Select(limit => (RedisValue)limit), (long)(2 * Window.TotalMilliseconds)];
        try
        {
            var refused = (long)await redis.ScriptEvaluateAsync(SpendScript, keys, arguments)
                .WaitAsync(_settings.Value.RedisTimeout, cancellationToken);
            return refused == 0 ? Lease.Acquired : Lease.Refused(spending.RetryAfter);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _redisFailedAt, _time.GetUtcNow().UtcTicks);
            LogRedisUnavailable(_logger, exception.GetType().Name, ReconnectAfter.TotalSeconds);
            return SpendLocally(spending);
        }
    }

    /// <summary>This replica's share of each budget (rounded down, at least one), spent in process.</summary>
    private Lease SpendLocally(Spending spending)
    {
        var replicas = _settings.Value.Replicas;
        return _local.Spend(spending.Window, spending.Keys, [.. spending.Limits.Select(limit => Share(limit, replicas))]) == 0
            ? Lease.Acquired
            : Lease.Refused(spending.RetryAfter);
    }

    /// <summary>Redis when it is configured and did not fail in the last <see cref="ReconnectAfter"/>; else null.</summary>
    private IDatabase? Redis()
    {
        if (!_redisConfigured || _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _redisFailedAt) < ReconnectAfter.Ticks)
        {
            return null;
        }

        try
        {
            return _redis ??= _services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        }
        catch (RedisException exception)
        {
            Interlocked.Exchange(ref _redisFailedAt, _time.GetUtcNow().UtcTicks);
            LogRedisUnavailable(_logger, exception.GetType().Name, ReconnectAfter.TotalSeconds);
            return null;
        }
    }

    /// <summary>Rounded down, so that the replicas together never exceed the budget; at least one request.</summary>
    public static int Share(int budget, int replicas) => Math.Max(1, budget / Math.Max(1, replicas));

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Redis did not answer the rate limiter ({Failure}); each replica enforces its share of the limits for {Seconds} s.")]
    private static partial void LogRedisUnavailable(ILogger logger, string failure, double seconds);

    /// <summary>
    /// What a request spends: one permit from its user's budget (when signed in) and one from its address's, in the
    /// fixed window of the current minute; refused, it may try again when that window ends.
    /// </summary>
    private sealed record Spending(long Window, string[] Keys, int[] Limits, TimeSpan RetryAfter)
    {
        public static Spending Of(HttpContext resource, RateLimitSettings settings, TimeProvider time)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var window = (long)ClusterRateLimiter.Window.TotalMilliseconds;
            var address = "address:" + (resource.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            var retryAfter = TimeSpan.FromMilliseconds(window - (now % window));
            return Actor.From(resource.User)?.SubjectId.ToString("D") is { } user
                ? new Spending(now / window, ["user:" + user, address], [settings.PerUserPerMinute, settings.PerAddressPerMinute], retryAfter)
                : new Spending(now / window, [address], [settings.PerAddressPerMinute], retryAfter);
        }
    }

    /// <summary>
    /// The Redis script's fixed windows, counted in this process. Not the framework's partitioned limiters: they keep
    /// a limiter per user and visit every one ten times a second to replenish it, and the data bench's 65,000 users of
    /// a minute made that visit 1.5 % of the machine's time, during which a new user's first request waited.
    /// </summary>
    private sealed class LocalWindows
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, int> _spent = new(StringComparer.Ordinal);
        private long _window = long.MinValue;

        /// <summary>As the script: 0 when every key was under its limit and each was counted, else the first full key (from 1).</summary>
        public int Spend(long window, string[] keys, int[] limits)
        {
            lock (_lock)
            {
                if (window != _window)
                {
                    _spent.Clear();
                    _window = window;
                }

                for (var i = 0; i < keys.Length; i++)
                {
                    if (_spent.GetValueOrDefault(keys[i]) >= limits[i])
                    {
                        return i + 1;
                    }
                }

                foreach (var key in keys)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(_spent, key, out _)++;
                }

                return 0;
            }
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public static readonly Lease Pending = new(false, null);

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
