namespace WoningPas.Simulators.Simulation;

/// <summary>
/// <c>/_sim</c>: the test's and the operator's handle on the simulators — counters, run-time settings, reset. Open
/// on purpose: the simulators only ever listen on loopback in development, tests and benchmarks.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/_sim");
        admin.MapGet("/stats", (SimulatedRegistries registries) =>
            TypedResults.Ok(new { registries = registries.All.ToDictionary(r => r.Name, r => r.Stats()) }));
        admin.MapPut("/registries/{name}", (string name, RegistryChange change, SimulatedRegistries registries) =>
        {
            if (!registries.TryGet(name, out var registry))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown registry",
                    detail: $"registry must be one of: {string.Join(", ", SimulatedRegistries.Names)}.");
            }

            if (change.Capacity is <= 0 || change.ErrorRate is < 0 or > 1 || change.LatencyMs is < 0 || change.JitterMs is < 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["change"] = ["capacity > 0, 0 <= errorRate <= 1, latencyMs >= 0, jitterMs >= 0."],
                });
            }

            registry.Change(change);
            return Results.Ok(registry.Stats());
        });
        admin.MapPost("/reset", (SimulatedRegistries registries) =>
        {
            foreach (var registry in registries.All)
            {
                registry.Reset();
            }

            return Results.NoContent();
        });
        return routes;
    }
}
