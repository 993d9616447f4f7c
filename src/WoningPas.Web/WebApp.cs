using WoningPas.Web.Caching;
using WoningPas.Web.Logging;
using WoningPas.Web.Monitoring;
using WoningPas.Web.Pages;
using WoningPas.Web.Routing;
using WoningPas.Web.Security;

namespace WoningPas.Web;

/// <summary>
/// The cloud host: public pages and static assets only, the same for every visitor, so that the CDN can cache them.
/// It holds no personal data, reads no database and never sets a cookie; the passport page is a shell whose script
/// fetches the personal parts from the on-premise Api on the same origin. Built here rather than in Program.cs so that
/// the DevHost and the tests can run it in-process next to the Api.
/// </summary>
public static class WebApp
{
    /// <param name="options">Environment and paths.</param>
    /// <param name="configure">Runs after the Web registered its services, so that a caller can replace them.</param>
    /// <param name="settings">
    /// Configuration sources added before the Web composes itself, for settings that decide the composition
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): <paramref name="configure"/> comes too late for those.
    /// </param>
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null,
        Action<ConfigurationManager>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = options.ContentRootPath,
            WebRootPath = options.WebRootPath,
            // Razor Pages are discovered from the application assembly: name this one, whoever the entry assembly is.
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
        });
        settings?.Invoke(builder.Configuration);

        builder.AddWebLogging();
        builder.AddWebTelemetry();
        builder.Services.AddPublicPages();
        builder.Services.AddWebCompression();
        configure?.Invoke(builder);

        var app = builder.Build();

        app.UseCorrelationId();
        app.UseWebRequestLogging();
        app.UseSecurityHeaders();
        app.UseReadOnlyMethods();
        app.UseExceptionHandler(PublicPages.ErrorPath);
        app.UseWebCompression();
        app.UseFingerprintedStaticFiles();
        app.UsePublicCaching();
        app.UseStatusCodePagesWithReExecute(PublicPages.StatusPathTemplate);
        app.UseRouting();
        app.MapRazorPages();
        app.MapRetiredPaths();
        return app;
    }
}
