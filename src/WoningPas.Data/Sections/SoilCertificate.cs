using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>A soil certificate (bodemattest) for a parcel, issued by the waste agency.</summary>
public sealed class SoilCertificate : IEditableSection
{
    public Guid Id { get; init; }
    public Guid ParcelId { get; init; }
    public Parcel Parcel { get; init; } = null!;

    public required string SourceReference { get; set; }

    public DateOnly IssuedOn { get; set; }

    /// <summary>The parcel is in the land-information register: risk activities took place on it.</summary>
    public bool InLandInformationRegister { get; set; }

    public DateTimeOffset SourceUpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c> of the row: the optimistic-concurrency token of a back-office edit.</summary>
    public uint Version { get; set; }
}
