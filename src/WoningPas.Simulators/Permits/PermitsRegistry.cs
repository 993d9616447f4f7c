using WoningPas.Simulators.Simulation;

namespace WoningPas.Simulators.Permits;

/// <summary>The permit register: building, environment and subdivision permits per parcel, newest first.</summary>
public sealed record PermitsAnswer(string CapaKey, IReadOnlyList<PermitAnswer> Permits);

public sealed record PermitAnswer(string Reference, string Kind, string Description, DateOnly SubmittedOn,
    DateOnly? DecidedOn, string Decision, DateTimeOffset UpdatedAt);

public static class PermitsRegistry
{
    private static readonly string[] Kinds = ["building", "building", "environment", "subdivision"];
    private static readonly string[] Decisions = ["granted", "granted", "granted", "refused", "pending"];
    private static readonly string[] Descriptions =
    [
        "Verbouwen van een eengezinswoning",
        "Plaatsen van zonnepanelen",
        "Bouwen van een carport",
        "Uitbreiden van de woning met een veranda",
        "Slopen van een bijgebouw",
        "Exploiteren van een warmtepomp",
    ];

    public static PermitsAnswer For(string capaKey)
    {
        var dice = new Deterministic(SimulatedRegistries.Permits, capaKey);
        var count = dice.Next(4);
        var permits = Enumerable.Range(0, count)
            .Select(_ =>
            {
                var submitted = dice.Day();
                var decision = dice.Pick(Decisions);
                DateOnly? decided = decision == "pending" ? null : submitted.AddDays(30 + dice.Next(120));
                return new PermitAnswer("OMV_" + submitted.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) + dice.Digits(6),
                    dice.Pick(Kinds), dice.Pick(Descriptions), submitted, decided, decision,
                    Deterministic.UpdatedAt(decided ?? submitted));
            })
            .OrderByDescending(p => p.SubmittedOn)
            .ToList();
        return new PermitsAnswer(capaKey, permits);
    }

    public static IEndpointRouteBuilder MapPermits(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/permits/v1").AddEndpointFilter(new RegistryGate(SimulatedRegistries.Permits))
            .MapGet("/parcels/{capaKey}/permits", (string capaKey) => Deterministic.PathCaPaKey().IsMatch(capaKey)
                ? Results.Ok(For(capaKey.Replace('-', '/')))
                : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid CaPaKey"));
        return routes;
    }
}
