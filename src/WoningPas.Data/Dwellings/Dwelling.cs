namespace WoningPas.Data.Dwellings;

/// <summary>
/// A dwelling: one unit at one address, in a building on one or more parcels. Several dwellings may share an address
/// and a building (apartments).
/// </summary>
public sealed class Dwelling
{
    public Guid Id { get; init; }

    public Guid AddressId { get; set; }
    public Address Address { get; set; } = null!;

    public Guid BuildingId { get; set; }
    public Building Building { get; set; } = null!;

    public List<RealRight> Rights { get; init; } = [];
}
