using System.Text.Json;
using WoningPas.Data.Dwellings;

namespace WoningPas.Data.BackOffice;

public enum SectionChangeKind
{
    Edit,

    /// <summary>Restores the values from before an earlier change; itself a new version, so history only grows.</summary>
    Undo,
}

/// <summary>
/// One saved change of a passport section by agency staff: who, when, and the section's values before and after,
/// as JSON so that every section kind fits one table. Never updated or deleted: undo adds a version.
/// </summary>
public sealed class SectionVersion
{
    public long Id { get; init; }

    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The section as the API spells it (epc, asbestos, ...).</summary>
    public required string Section { get; init; }

    /// <summary>The row that changed (the certificate's id).</summary>
    public Guid RecordId { get; init; }

    public SectionChangeKind Kind { get; init; }

    /// <summary>For an undo: the version whose change it reverses.</summary>
    public long? UndoOf { get; init; }

    /// <summary>Subject id of the editor (never an INSZ).</summary>
    public Guid ChangedBy { get; init; }

    public required string ChangedByName { get; init; }

    public required string Organisation { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public required JsonDocument Before { get; init; }

    public required JsonDocument After { get; init; }
}
