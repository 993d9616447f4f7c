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

    public string Label => BoxNumber is null
        ? $"{Street} {HouseNumber}, {PostalCode} {Municipality}"
        : $"{Street} {HouseNumber} bus {BoxNumber}, {PostalCode} {Municipality}";
}
