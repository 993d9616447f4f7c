using WoningPas.Api.AccessLog;
using WoningPas.Api.ApiDocumentation;
using WoningPas.Api.Account;
using WoningPas.Api.Documents;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Health;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Infrastructure.DataProtection;
using WoningPas.Api.Monitoring;
using WoningPas.Api.Passport;
using WoningPas.Api.Registries;
using WoningPas.Api.Reminders;
using WoningPas.Api.Reports;
using WoningPas.Api.Sharing;
using WoningPas.Api.Staff;

namespace WoningPas.Api;

/// <summary>
/// The on-premise host: the only place personal data is served from. Built here rather than in Program.cs so that
/// the DevHost and the tests can run it in-process next to the Web host.
/// </summary>
public static class ApiApp
{
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = options.ContentRootPath,
            ApplicationName = typeof(ApiApp).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);
        DevelopmentGuard.RefuseNonLoopback(builder);

        builder.AddWoningPasLogging("api");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddApiDatabase();
        builder.AddApiEncryption();
        builder.AddApiDataProtection();
        builder.AddApiErrors();
        builder.Services.AddApiJson();
        builder.AddWoningPasAuthentication();
        builder.Services.AddAccessRecording();
        builder.Services.AddApiHealthChecks();
        builder.AddApiDocumentation();
        builder.Services.AddPassportRegistries(builder.Configuration);
        builder.Services.AddPassportCache();
        builder.AddApiTelemetry();
        builder.AddDocuments();
        builder.AddApiRequestLimits();
        builder.AddClientAddresses();
        builder.AddStaff();

        var app = builder.Build();

        app.UseForwardedHeaders();
        app.UseApiSecurityHeaders(app.Environment);
        app.UseCorrelationId();
        app.UseWoningPasRequestLogging();
        app.UsePrivateResponses();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseApiRequestLimits();
        app.UseCsrfHeaderCheck();
        app.UseAuthorization();

        app.MapAccount();
        app.MapDwellings();
        app.MapPassport();
        app.MapReminders();
        app.MapDocuments();
        app.MapSharing();
        app.MapAccessLog();
        app.MapReports();
        app.MapStaff();
        app.MapApiHealthChecks();
        app.MapApiDocumentation();
        return app;
    }
}
