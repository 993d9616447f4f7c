using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Resilience;

/// <summary>
/// The resilience pipeline of DESIGN.md for one registry, outermost first: total timeout → retry (idempotent calls,
/// honouring <c>Retry-After</c>) → circuit breaker → token-bucket rate limiter → attempt timeout. The limiter sits
/// inside the retry so that every retry takes a token too; it is the process-wide one from
/// <see cref="RegistryRateLimiters"/>, not one per pipeline.
/// </summary>
public static class RegistryPipeline
{
    public static IHttpClientBuilder AddRegistryClient<TClient>(this IServiceCollection services, string registry)
        where TClient : class
    {
        services.AddOptions<RegistryOptions>(registry)
            .BindConfiguration($"{RegistriesOptions.Section}:{registry}")
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var client = services.AddHttpClient<TClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<RegistryOptions>>().Get(registry);
            http.BaseAddress = options.BaseUrl;
            http.DefaultRequestHeaders.Add(options.ApiKeyHeader, options.ApiKey);
            // The pipeline's timeouts govern; HttpClient's own 100 s would only hide them.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        // The factory's handlers log each call's URL, and so the parcel asked about, at Information: never wanted.
        client.RemoveAllLoggers();
        client.AddResilienceHandler($"registry-{registry}", (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<RegistryOptions>>().Get(registry);
            var limiter = context.ServiceProvider.GetRequiredService<RegistryRateLimiters>().For(registry);
            Configure(builder, options, limiter);
        });
        return client;
    }

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, RegistryOptions options,
        System.Threading.RateLimiting.RateLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        // Deadlines and back-off towards another system are wall-clock time, whatever clock the application reads.
        builder.TimeProvider = TimeProvider.System;

        builder.AddTimeout(options.TotalTimeout);

        if (options.Retries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldRetryAfterHeader = true,
                ShouldHandle = outcome => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(outcome.Outcome) && !WaitsTooLong(outcome.Outcome.Result, options.MaxRetryAfter)),
            };
            retry.DisableForUnsafeHttpMethods();
            builder.AddRetry(retry);
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
        });

        builder.AddRateLimiter(limiter);
        builder.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>A 429 or 503 whose <c>Retry-After</c> lies beyond what the caller may wait: fail now, let the cache answer.</summary>
    private static bool WaitsTooLong(HttpResponseMessage? response, TimeSpan maxRetryAfter)
    {
        if (response is null || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return false;
        }

        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date - DateTimeOffset.UtcNow);
        return wait > maxRetryAfter;
    }
}
