namespace WoningPas.Data.AccessLog;

/// <summary>What was done with personal data. Stored as text so that the log stays readable without the code.</summary>
public enum AccessAction
{
    Read,
    Search,
    Export,
    Print,
    Download,
    Edit,
    Share,
    Revoke,
    Upload,
    Delete,
}

public enum AccessOutcome
{
    Allowed,
    Denied,
}

/// <summary>
/// One access to personal data: who, acting for whom, in which role, did what to which object, why, and with what
/// outcome. Append-only: the database refuses updates and deletes, and every row carries a SHA-256 hash chained to
/// the previous row so that a changed or removed row is detectable.
/// </summary>
public sealed record AccessLogEntry
{
    public long Id { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Subject id of the actor (never an INSZ).</summary>
    public required string ActorId { get; init; }

    /// <summary>Subject id of the person the actor acts for, when different.</summary>
    public string? ActingForId { get; init; }

    public required string ActorRole { get; init; }

    public string? ActorOrganisation { get; init; }

    public AccessAction Action { get; init; }

    /// <summary>Kind of object read: dwelling-list, passport, section, document.</summary>
    public required string ObjectKind { get; init; }

    public string? ObjectId { get; init; }

    /// <summary>The dwelling the object belongs to, so that its holders can find every access to it.</summary>
    public Guid? DwellingId { get; init; }

    public required string Purpose { get; init; }

    public AccessOutcome Outcome { get; init; }

    public string? ClientAddress { get; init; }

    public string? CorrelationId { get; init; }

    public byte[] PreviousHash { get; set; } = [];

    public byte[] Hash { get; set; } = [];
}
