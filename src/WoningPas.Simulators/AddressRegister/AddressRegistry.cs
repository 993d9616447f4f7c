using System.Globalization;
using WoningPas.Simulators.Simulation;

namespace WoningPas.Simulators.AddressRegister;

/// <summary>The Flemish address register: an address by its persistent object id.</summary>
public sealed record AddressAnswer(string ObjectId, string Street, string HouseNumber, string? BoxNumber,
    string PostalCode, string Municipality, string NisCode, DateTimeOffset UpdatedAt);

public static class AddressRegistry
{
    private static readonly (string PostalCode, string Municipality, string NisCode)[] Municipalities =
    [
        ("9000", "Gent", "44021"), ("2000", "Antwerpen", "11002"), ("3000", "Leuven", "24062"),
        ("8000", "Brugge", "31005"), ("2800", "Mechelen", "12025"), ("3500", "Hasselt", "71022"),
    ];

    private static readonly string[] Streets = ["Kerkstraat", "Stationsstraat", "Molenstraat", "Schoolstraat", "Dorpsstraat", "Nieuwstraat"];

    public static AddressAnswer For(string objectId)
    {
        var dice = new Deterministic(SimulatedRegistries.Address, objectId);
        var (postalCode, municipality, nisCode) = dice.Pick(Municipalities);
        var box = dice.Next(4) == 0 ? (1 + dice.Next(20)).ToString(CultureInfo.InvariantCulture) : null;
        return new AddressAnswer(objectId, dice.Pick(Streets), (1 + dice.Next(250)).ToString(CultureInfo.InvariantCulture), box,
            postalCode, municipality, nisCode, Deterministic.UpdatedAt(dice.Day()));
    }

    public static IEndpointRouteBuilder MapAddressRegister(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/address/v1").AddEndpointFilter(new RegistryGate(SimulatedRegistries.Address))
            .MapGet("/addresses/{objectId}", (string objectId) => objectId.Length is > 0 and <= 64 && objectId.All(char.IsAsciiLetterOrDigit)
                ? Results.Ok(For(objectId))
                : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid address object id"));
        return routes;
    }
}
