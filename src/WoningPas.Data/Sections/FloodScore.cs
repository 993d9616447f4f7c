using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>Flood risk from A (none) to D (high), as the environment department publishes it.</summary>
public enum FloodRisk
{
    A,
    B,
    C,
    D,
}

/// <summary>
/// The flood scores of a parcel and of the building on it: the P-score for the parcel, the G-score for the building
/// (null when the parcel holds no building). Informative, public data.
/// </summary>
public sealed class FloodScore
{
    public Guid ParcelId { get; init; }
    public Parcel Parcel { get; init; } = null!;

    public FloodRisk ParcelScore { get; init; }

    public FloodRisk? BuildingScore { get; init; }

    public required string SourceReference { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
