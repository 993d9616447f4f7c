using WoningPas.Simulators.Simulation;

namespace WoningPas.Simulators.Cadastre;

/// <summary>
/// The cadastre: real rights on a parcel. Holders are opaque cadastral person references, never a national
/// register number: the simulator must not invent data that looks like a real INSZ.
/// </summary>
public sealed record RightsAnswer(string CapaKey, IReadOnlyList<RightAnswer> Rights, DateTimeOffset UpdatedAt);

public sealed record RightAnswer(string HolderReference, string Kind, int ShareNumerator, int ShareDenominator, DateOnly Since);

public static class CadastreRegistry
{
    private static readonly string[] Kinds = ["owner", "owner", "coOwner", "usufructuary", "longLease"];

    public static RightsAnswer For(string capaKey)
    {
        var dice = new Deterministic(SimulatedRegistries.Cadastre, capaKey);
        var holders = 1 + dice.Next(3);
        var since = dice.Day();
        var rights = Enumerable.Range(0, holders)
            .Select(_ => new RightAnswer("CAD-P-" + dice.Digits(8), holders == 1 ? "owner" : dice.Pick(Kinds), 1, holders, since))
            .ToList();
        return new RightsAnswer(capaKey, rights, Deterministic.UpdatedAt(since));
    }

    public static IEndpointRouteBuilder MapCadastre(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/cadastre/v1").AddEndpointFilter(new RegistryGate(SimulatedRegistries.Cadastre))
            .MapGet("/parcels/{capaKey}/rights", (string capaKey) => Deterministic.PathCaPaKey().IsMatch(capaKey)
                ? Results.Ok(For(capaKey.Replace('-', '/')))
                : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid CaPaKey"));
        return routes;
    }
}
