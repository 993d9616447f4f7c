using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WoningPas.Web.Monitoring;

/// <summary>
/// OpenTelemetry for the cloud host: request rate, latency and errors, and traces. Pushed to an OTLP collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the cloud side deliberately has no scrape endpoint, so nothing on it
/// answers a path the CDN could cache or expose.
/// </summary>
public static class WebTelemetry
{
    public static WebApplicationBuilder AddWebTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("woningpas-web"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter("WoningPas.*");
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        // Spans nobody collects cost every request: tracing only where a collector is configured.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("WoningPas.*")
                .AddOtlpExporter());
        }

        return builder;
    }
}
