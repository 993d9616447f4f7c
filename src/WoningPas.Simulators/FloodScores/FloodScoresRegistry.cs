using WoningPas.Simulators.Simulation;

namespace WoningPas.Simulators.FloodScores;

/// <summary>The environment department's flood scores: P-score per parcel, G-score for the building on it (A–D).</summary>
public sealed record FloodScoresAnswer(string CapaKey, string ParcelScore, string? BuildingScore, string Reference,
    DateTimeOffset UpdatedAt);

public static class FloodScoresRegistry
{
    private static readonly string[] Scores = ["A", "A", "A", "B", "B", "C", "D"];

    public static FloodScoresAnswer For(string capaKey)
    {
        var dice = new Deterministic(SimulatedRegistries.Flood, capaKey);
        var parcel = dice.Pick(Scores);
        // About one parcel in eight holds no building and so has no G-score.
        var building = dice.Next(8) == 0 ? null : dice.Pick(Scores);
        return new FloodScoresAnswer(capaKey, parcel, building, "VMM-OS-" + dice.Digits(7),
            Deterministic.UpdatedAt(dice.Day()));
    }

    public static IEndpointRouteBuilder MapFloodScores(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/flood/v1").AddEndpointFilter(new RegistryGate(SimulatedRegistries.Flood))
            .MapGet("/parcels/{capaKey}/scores", (string capaKey) => Deterministic.PathCaPaKey().IsMatch(capaKey)
                ? Results.Ok(For(capaKey.Replace('-', '/')))
                : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid CaPaKey"));
        return routes;
    }
}
