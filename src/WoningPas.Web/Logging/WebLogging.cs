using System.Globalization;
using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace WoningPas.Web.Logging;

/// <summary>
/// Structured request logging with a correlation id on every line. Requests are logged by path only: a query string
/// may carry an identifier, and nothing personal may reach a log.
/// </summary>
public static class WebLogging
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WebApplicationBuilder AddWebLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((_, configuration) => configuration
            .ReadFrom.Configuration(builder.Configuration)
            // ASP.NET Core's own "Request starting" lines carry the full URL, query string included: never below Warning.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Host", "web")
            .WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Host} {CorrelationId} {Message:lj}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture));
        return builder;
    }

    /// <summary>
    /// Takes the caller's <c>X-Correlation-Id</c> when it is short and plain (so that it cannot smuggle data into the
    /// logs), or makes one; pushes it into the log context and echoes it on the response.
    /// </summary>
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var incoming = context.Request.Headers[CorrelationHeader].ToString();
            var correlationId = IsPlainId(incoming) ? incoming : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = correlationId;
            // Set when the response starts, so that an exception handler clearing the headers cannot drop it.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[CorrelationHeader] = correlationId;
                return Task.CompletedTask;
            });
            using (LogContext.PushProperty("CorrelationId", correlationId))
            {
                await next(context);
            }
        });

    public static IApplicationBuilder UseWebRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.IncludeQueryInRequestPath = false;
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        });

    internal static bool IsPlainId(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
