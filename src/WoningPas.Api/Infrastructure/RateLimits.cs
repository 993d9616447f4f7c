using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// Limits per signed-in user and per client address, each over a fixed one-minute window (section "RateLimits"), for
/// all replicas together (<see cref="ClusterRateLimiter"/>).
/// </summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "RateLimits";

    [Range(1, 1_000_000, ErrorMessage = "RateLimits:PerUserPerMinute must be from 1 to 1000000.")]
    public int PerUserPerMinute { get; set; } = 300;

    [Range(1, 10_000_000, ErrorMessage = "RateLimits:PerAddressPerMinute must be from 1 to 10000000.")]
    public int PerAddressPerMinute { get; set; } = 1200;

    /// <summary>
    /// How many Api replicas run (set by the deployment, like <c>Registries:Replicas</c>). Without Redis, and while
    /// Redis is unreachable, each replica allows this share of the budgets, so that together they allow the budget.
    /// </summary>
    [Range(1, 1_000, ErrorMessage = "RateLimits:Replicas must be from 1 to 1000.")]
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// How long a request waits for Redis to count it before this replica decides with its own share instead: short,
    /// because every request of the Api waits this long when Redis hangs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10", ErrorMessage = "RateLimits:RedisTimeout must be from 10 ms to 10 s.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>Request size limits (section "RequestLimits"): most Api calls carry no body at all.</summary>
public sealed class RequestLimitSettings
{
    public const string SectionName = "RequestLimits";

    [Range(1024, 100 * 1024 * 1024, ErrorMessage = "RequestLimits:MaxBodyBytes must be from 1 KiB to 100 MiB.")]
    public long MaxBodyBytes { get; set; } = 64 * 1024;
}

public static class RateLimits
{
    public static WebApplicationBuilder AddApiRequestLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RequestLimitSettings>().BindConfiguration(RequestLimitSettings.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var limits = context.Configuration.GetSection(RequestLimitSettings.SectionName).Get<RequestLimitSettings>()
                ?? new RequestLimitSettings();
            kestrel.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        });

        // A signed-in user and a client address each have their own budget; a request spends from both.
        services.AddSingleton<ClusterRateLimiter>();
        services.AddRateLimiter(options => options.OnRejected = RejectAsync);
        services.AddOptions<RateLimiterOptions>().Configure<ClusterRateLimiter>((options, limiter) => options.GlobalLimiter = limiter);
        return builder;
    }

    /// <summary>Refuses a body over the limit before anything reads it, whatever server hosts the Api.</summary>
    public static IApplicationBuilder UseApiRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<RequestLimitSettings>>().Value.MaxBodyBytes;
            if (context.Request.ContentLength > limit && context.GetEndpoint()?.Metadata.GetMetadata<OwnBodyLimit>() is null)
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                    detail: string.Create(CultureInfo.InvariantCulture, $"A request body is at most {limit} bytes."),
                    type: ProblemTypes.TooLarge).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: string.Create(CultureInfo.InvariantCulture, $"Try again in {seconds} seconds."),
            type: ProblemTypes.RateLimited).ExecuteAsync(context);
    }
}

/// <summary>
/// Marks an endpoint that takes bodies larger than <see cref="RequestLimitSettings.MaxBodyBytes"/> and enforces a limit
/// of its own while it streams (document uploads); the global check leaves it to that endpoint.
/// </summary>
public sealed class OwnBodyLimit;
