namespace WoningPas.Data.Dwellings;

/// <summary>An address as the Flemish address register returns it, with the register's persistent id.</summary>
public sealed class Address
{
    public Guid Id { get; init; }

    /// <summary>Persistent object id in the address register.</summary>
    public required string RegisterId { get; init; }

    public required string Street { get; set; }
    public required string HouseNumber { get; set; }
    public string? BoxNumber { get; set; }
    public required string PostalCode { get; set; }
    public required string Municipality { get; set; }

    /// <summary>NIS code of the municipality.</summary>
    public required string NisCode { get; set; }

    public string Label => FormatLabel(Street, HouseNumber, BoxNumber, PostalCode, Municipality);

    /// <summary>The one-line form used in Flanders: "Meir 50 bus 3, 2000 Antwerpen".</summary>
    public static string FormatLabel(string street, string houseNumber, string? boxNumber, string postalCode,
        string municipality) =>
        boxNumber is null
            ? $"{street} {houseNumber}, {postalCode} {municipality}"
            : $"{street} {houseNumber} bus {boxNumber}, {postalCode} {municipality}";
}
