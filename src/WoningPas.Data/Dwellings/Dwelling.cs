namespace WoningPas.Data.Dwellings;

/// <summary>A dwelling: one unit at one address, on a parcel. Several dwellings may share an address (apartments).</summary>
public sealed class Dwelling
{
    public Guid Id { get; init; }

    public Guid AddressId { get; set; }
    public Address Address { get; set; } = null!;

    public Guid ParcelId { get; set; }
    public Parcel Parcel { get; set; } = null!;

    public List<RealRight> Rights { get; init; } = [];
}
