using WoningPas.Data.Dwellings;
using WoningPas.Data.Sections;

namespace WoningPas.Data.BackOffice;

public enum DataReportStatus
{
    Open,
    Resolved,
    Rejected,
}

/// <summary>
/// A holder's report that a section of their passport is wrong, with a comment; the agency that owns the section
/// resolves or rejects it with an answer the holder reads.
/// </summary>
public sealed class DataReport
{
    public Guid Id { get; init; }

    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public required string Section { get; init; }

    /// <summary>The agency whose queue the report lands in, fixed at creation from the section's owner.</summary>
    public SourceAgency Agency { get; init; }

    /// <summary>The holder who reported (a person id).</summary>
    public Guid ReportedBy { get; init; }

    public DateTimeOffset ReportedAt { get; init; }

    public required string Comment { get; init; }

    public DataReportStatus Status { get; set; }

    public string? Answer { get; set; }

    public Guid? AnsweredBy { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }
}
