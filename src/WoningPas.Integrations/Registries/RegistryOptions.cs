using System.ComponentModel.DataAnnotations;

namespace WoningPas.Integrations.Registries;

/// <summary>
/// Section <c>Registries:{Name}</c>: where one registry is, its key, its published capacity and how long its answers
/// may be kept. A named options instance per registry; validated at start, so that a host with a missing base URL
/// or key refuses to start and names the setting.
/// </summary>
public sealed class RegistryOptions
{
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>The header the registry reads its key from; each registry has its own.</summary>
    [Required]
    public string ApiKeyHeader { get; set; } = "";

    /// <summary>The key. Never in the repository for production: configuration or a secret store sets it.</summary>
    [Required]
    [MinLength(8)]
    public string ApiKey { get; set; } = "";

    /// <summary>The registry's published capacity in requests per second, for the whole cluster.</summary>
    [Range(0.1, 100_000)]
    public double Capacity { get; set; } = 10;

    /// <summary>How long an answer is fresh: read from the cache without asking the registry.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the last good answer is kept to be served, marked stale, when the registry fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan StaleFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The longest a call may wait in the rate limiter's queue; beyond that it fails at once as over capacity.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, for idempotent calls only (DESIGN.md: 1–2).</summary>
    [Range(0, 2)]
    public int Retries { get; set; } = 2;

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the call fails and the cache answers.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(3);

    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Section <c>Registries</c>: what all registry clients of this process share.</summary>
public sealed class RegistriesOptions
{
    public const string Section = "Registries";

    /// <summary>
    /// How many Api replicas share each registry's capacity. Each replica's limiter gets capacity ÷ replicas, so that
    /// the cluster as a whole stays within the published capacity (docs/decisions/0004).
    /// </summary>
    [Range(1, 64)]
    public int Replicas { get; set; } = 1;
}
