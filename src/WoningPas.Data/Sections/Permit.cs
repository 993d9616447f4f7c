using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

public enum PermitKind
{
    Building,
    Environment,
    Subdivision,
}

public enum PermitDecision
{
    Granted,
    Refused,
    Pending,
}

/// <summary>A building or environment permit on a parcel, as the municipality recorded it.</summary>
public sealed class Permit
{
    public Guid Id { get; init; }
    public Guid ParcelId { get; init; }
    public Parcel Parcel { get; init; } = null!;

    /// <summary>The municipality's file reference (e.g. OMV_2021012345).</summary>
    public required string SourceReference { get; init; }

    public PermitKind Kind { get; init; }

    public required string Description { get; init; }

    public DateOnly SubmittedOn { get; init; }

    public DateOnly? DecidedOn { get; init; }

    public PermitDecision Decision { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
