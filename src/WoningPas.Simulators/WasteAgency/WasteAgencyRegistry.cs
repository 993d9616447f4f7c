using WoningPas.Simulators.Simulation;

namespace WoningPas.Simulators.WasteAgency;

/// <summary>The waste agency: soil certificates per parcel and asbestos inventory certificates per dwelling.</summary>
public sealed record SoilCertificateAnswer(string CapaKey, string Reference, DateOnly IssuedOn,
    bool InLandInformationRegister, DateTimeOffset UpdatedAt);

public sealed record AsbestosCertificateAnswer(Guid DwellingId, string Reference, DateOnly IssuedOn,
    bool HasHighRiskMaterials, DateTimeOffset UpdatedAt);

public static class WasteAgencyRegistry
{
    public static SoilCertificateAnswer Soil(string capaKey)
    {
        var dice = new Deterministic(SimulatedRegistries.Waste, "soil|" + capaKey);
        var issued = dice.Day();
        return new SoilCertificateAnswer(capaKey, "BA-" + dice.Digits(8), issued, dice.Next(10) == 0,
            Deterministic.UpdatedAt(issued));
    }

    public static AsbestosCertificateAnswer? Asbestos(Guid dwellingId)
    {
        var dice = new Deterministic(SimulatedRegistries.Waste, "asbestos|" + dwellingId.ToString("D"));
        if (dice.Next(3) == 0)
        {
            return null;
        }

        var issued = dice.Day();
        return new AsbestosCertificateAnswer(dwellingId, "ASB-" + dice.Digits(9), issued, dice.Next(6) == 0,
            Deterministic.UpdatedAt(issued));
    }

    public static IEndpointRouteBuilder MapWasteAgency(this IEndpointRouteBuilder routes)
    {
        var waste = routes.MapGroup("/waste/v1").AddEndpointFilter(new RegistryGate(SimulatedRegistries.Waste));
        waste.MapGet("/parcels/{capaKey}/soil-certificate", (string capaKey) => Deterministic.PathCaPaKey().IsMatch(capaKey)
            ? Results.Ok(Soil(capaKey.Replace('-', '/')))
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid CaPaKey"));
        waste.MapGet("/dwellings/{dwellingId:guid}/asbestos-certificate", (Guid dwellingId) =>
            Asbestos(dwellingId) is { } certificate
                ? Results.Ok(certificate)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No certificate"));
        return routes;
    }
}
