using WoningPas.Data.People;

namespace WoningPas.Data.Dwellings;

public enum RealRightKind
{
    Owner,
    CoOwner,
    Usufruct,
    LongLease,
}

/// <summary>A real right of a person on a dwelling, valid over a period: what makes a citizen a holder.</summary>
public sealed class RealRight
{
    public Guid Id { get; init; }

    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public Guid HolderId { get; init; }
    public Person Holder { get; init; } = null!;

    public RealRightKind Kind { get; init; }

    /// <summary>The holder's share of the right, between 0 (exclusive) and 1.</summary>
    public decimal Share { get; init; } = 1m;

    public DateOnly ValidFrom { get; init; }

    /// <summary>Last day the right holds; null while it runs.</summary>
    public DateOnly? ValidUntil { get; set; }
}
