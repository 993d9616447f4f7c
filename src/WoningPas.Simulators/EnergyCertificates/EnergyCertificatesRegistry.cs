using WoningPas.Simulators.Simulation;

namespace WoningPas.Simulators.EnergyCertificates;

/// <summary>The energy certificate database: the newest EPC of a dwelling, or 404 when it has none.</summary>
public sealed record EnergyCertificateAnswer(Guid DwellingId, string Reference, decimal PrimaryEnergyUse,
    DateOnly IssuedOn, DateTimeOffset UpdatedAt);

public static class EnergyCertificatesRegistry
{
    /// <summary>One dwelling in five has no certificate: the registry answers 404 for it.</summary>
    public static EnergyCertificateAnswer? For(Guid dwellingId)
    {
        var dice = new Deterministic(SimulatedRegistries.Energy, dwellingId.ToString("D"));
        if (dice.Next(5) == 0)
        {
            return null;
        }

        var issued = dice.Day();
        return new EnergyCertificateAnswer(dwellingId, "EPC-" + dice.Digits(9), dice.Next(700) - 20, issued,
            Deterministic.UpdatedAt(issued));
    }

    public static IEndpointRouteBuilder MapEnergyCertificates(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/energy/v1").AddEndpointFilter(new RegistryGate(SimulatedRegistries.Energy))
            .MapGet("/dwellings/{dwellingId:guid}/certificate", (Guid dwellingId) =>
                For(dwellingId) is { } certificate
                    ? Results.Ok(certificate)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No certificate"));
        return routes;
    }
}
