using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>A soil certificate (bodemattest) for a parcel, issued by the waste agency.</summary>
public sealed class SoilCertificate
{
    public Guid Id { get; init; }
    public Guid ParcelId { get; init; }
    public Parcel Parcel { get; init; } = null!;

    public required string SourceReference { get; init; }

    public DateOnly IssuedOn { get; init; }

    /// <summary>The parcel is in the land-information register: risk activities took place on it.</summary>
    public bool InLandInformationRegister { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
