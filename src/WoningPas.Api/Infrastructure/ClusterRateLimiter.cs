using System.Globalization;
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
    private readonly PartitionedRateLimiter<HttpContext> _local;
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
        _local = LocalShare(settings);
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// Never decides synchronously when Redis counts: the middleware then asks <see cref="AcquireAsyncCore"/>, which
    /// does the one round trip.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        Redis() is null ? _local.AttemptAcquire(resource, permitCount) : Lease.Pending;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount,
        CancellationToken cancellationToken)
    {
        if (Redis() is not { } redis)
        {
            return await _local.AcquireAsync(resource, permitCount, cancellationToken);
        }

        var settings = _settings.Value;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = now / (long)Window.TotalMilliseconds;
        var keys = new List<RedisKey>(2);
        var limits = new List<RedisValue>(3);
        if (Actor.From(resource.User)?.SubjectId.ToString("D") is { } user)
        {
            keys.Add(string.Create(CultureInfo.InvariantCulture, $"woningpas:ratelimit:{window}:user:{user}"));
            limits.Add(settings.PerUserPerMinute);
        }

        keys.Add(string.Create(CultureInfo.InvariantCulture, $"woningpas:ratelimit:{window}:address:{resource.Connection.RemoteIpAddress?.ToString() ?? "unknown"}"));
        limits.Add(settings.PerAddressPerMinute);
        limits.Add((long)(2 * Window.TotalMilliseconds));
        try
        {
            var refused = (long)await redis.ScriptEvaluateAsync(SpendScript, [.. keys], [.. limits])
                .WaitAsync(_settings.Value.RedisTimeout, cancellationToken);
            return refused == 0
                ? Lease.Acquired
                : Lease.Refused(TimeSpan.FromMilliseconds(Window.TotalMilliseconds - (now % (long)Window.TotalMilliseconds)));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _redisFailedAt, _time.GetUtcNow().UtcTicks);
            LogRedisUnavailable(_logger, exception.GetType().Name, ReconnectAfter.TotalSeconds);
            return await _local.AcquireAsync(resource, permitCount, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local.Dispose();
        }

        base.Dispose(disposing);
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

    /// <summary>This replica's share of each budget, over a fixed one-minute window in process.</summary>
    private static PartitionedRateLimiter<HttpContext> LocalShare(IOptions<RateLimitSettings> settings) =>
        PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var user = Actor.From(context.User)?.SubjectId.ToString("D");
                var value = settings.Value;
                return user is null
                    ? RateLimitPartition.GetNoLimiter("anonymous")
                    : RateLimitPartition.GetFixedWindowLimiter(user, _ => LocalWindow(Share(value.PerUserPerMinute, value.Replicas)));
            }),
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                var value = settings.Value;
                return RateLimitPartition.GetFixedWindowLimiter(address, _ => LocalWindow(Share(value.PerAddressPerMinute, value.Replicas)));
            }));

    /// <summary>Rounded down, so that the replicas together never exceed the budget; at least one request.</summary>
    public static int Share(int budget, int replicas) => Math.Max(1, budget / Math.Max(1, replicas));

    private static FixedWindowRateLimiterOptions LocalWindow(int permits) => new()
    {
        PermitLimit = permits,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Redis did not answer the rate limiter ({Failure}); each replica enforces its share of the limits for {Seconds} s.")]
    private static partial void LogRedisUnavailable(ILogger logger, string failure, double seconds);

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
