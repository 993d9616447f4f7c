using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WoningPas.Api.Monitoring;

/// <summary>Section <c>Monitoring</c>.</summary>
public sealed class MonitoringSettings
{
    public const string SectionName = "Monitoring";

    /// <summary>
    /// When set, <c>/metrics</c> answers only on this local port (an extra Kestrel endpoint that only the monitoring
    /// network reaches, see deploy/k8s). The edge never routes /metrics either way.
    /// </summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }
}

/// <summary>
/// OpenTelemetry for the on-premise host: request rate, latency and errors (ASP.NET Core and HttpClient metrics),
/// every meter named <c>WoningPas.*</c> (access log; the cache and rate-limiter meters join by name), ASP.NET Core's
/// rate-limiting meter and Polly's resilience events (breaker state); traces of requests, outgoing calls and SQL.
/// Metrics are scraped by Prometheus from <c>/metrics</c> — on premise only, Web has no such endpoint. Traces go
/// to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class ApiTelemetry
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddApiTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MonitoringSettings>().Bind(builder.Configuration.GetSection(MonitoringSettings.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AccessLogMetrics>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SecurityEventAuthorizationHandler>();
        services.AddTransient<IStartupFilter, ScrapeEndpointStartupFilter>();

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("woningpas-api"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("WoningPas.*", "Microsoft.AspNetCore.RateLimiting", "Polly")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        // Spans nobody collects cost every request: tracing only where a collector is configured.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath)
                        && !context.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation()
                .AddSource("WoningPas.*", "Npgsql")
                .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// The scrape endpoint goes in front of the pipeline: a scrape needs no session, is not a read of personal data,
    /// and must not count itself as a request.
    /// </summary>
    private sealed class ScrapeEndpointStartupFilter(IOptions<MonitoringSettings> settings) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var port = settings.Value.MetricsPort;
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Request.Path == MetricsPath && (port is null || context.Connection.LocalPort == port));
            next(app);
        };
    }

    /// <summary>Every refusal by an authorisation policy becomes a security event, then the default answer follows.</summary>
    private sealed class SecurityEventAuthorizationHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
            PolicyAuthorizationResult authorizeResult)
        {
            var logger = SecurityEvents.For(context);
            if (authorizeResult.Forbidden)
            {
                logger.LogAuthorisationRefused(context.User.FindFirst(Account.WoningPasClaims.Subject)?.Value, context.Request.Path);
            }
            else if (authorizeResult.Challenged)
            {
                logger.LogSignInRequired(context.Request.Path);
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
