using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// Structured logging with a correlation id on every line. Request logs carry the path only: query strings and
/// bodies may contain identifiers, and an INSZ or a token must never reach a log.
/// </summary>
public static class Logging
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WebApplicationBuilder AddWoningPasLogging(this WebApplicationBuilder builder, string hostName)
    {
        builder.Services.AddSerilog((services, configuration) => configuration
            .ReadFrom.Configuration(builder.Configuration)
            .WithWoningPasLevels()
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Host", hostName)
            .WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {Host} {CorrelationId} {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        return builder;
    }

    /// <summary>
    /// The levels of the frameworks' own sources. Every request is logged once, by the request log; what the
    /// frameworks would add at Information is a line per step.
    /// </summary>
    public static LoggerConfiguration WithWoningPasLevels(this LoggerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // Polly reports every attempt at Information; the failures it handles are logged as warnings anyway.
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            // The HttpClient factory writes four lines per registry call, each with the registry's URL and so the
            // parcel asked about; the registry metrics count the calls, and failures are warnings.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning);
    }

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var incoming = context.Request.Headers[CorrelationHeader].ToString();
            // Accept a caller's id only when it is short and plain, so that it cannot smuggle data into the logs.
            var correlationId = IsPlainId(incoming) ? incoming : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = correlationId;
            context.Response.Headers[CorrelationHeader] = correlationId;
            using (LogContext.PushProperty("CorrelationId", correlationId))
            {
                await next(context);
            }
        });

    public static IApplicationBuilder UseWoningPasRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        });

    private static bool IsPlainId(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
