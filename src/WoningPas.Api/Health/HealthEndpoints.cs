using Microsoft.Extensions.Diagnostics.HealthChecks;
using WoningPas.Data;

namespace WoningPas.Api.Health;

/// <summary>Live: the process answers. Ready: it can also reach its database, so a load balancer may send traffic.</summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddApiHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapApiHealthChecks(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz/live", new() { Predicate = _ => false }).AllowAnonymous();
        routes.MapHealthChecks("/healthz/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) })
            .AllowAnonymous();
        return routes;
    }

    private sealed class DatabaseHealthCheck(WoningPasDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
            CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}
