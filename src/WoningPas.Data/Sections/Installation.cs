using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

public enum InstallationKind
{
    Heating,
    Ventilation,
    SolarPanels,
    HeatPump,
    ElectricalInspection,
}

/// <summary>A technical installation of the dwelling, registered by the energy agency or by a holder.</summary>
public sealed class Installation : IEditableSection
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public InstallationKind Kind { get; init; }

    public required string Description { get; set; }

    /// <summary>The energy agency for registered installations, the owner for what a holder added.</summary>
    public SourceAgency Source { get; init; }

    public required string SourceReference { get; set; }

    public DateOnly? InstalledOn { get; set; }

    public DateOnly? LastInspectedOn { get; set; }

    /// <summary>When the next (legally required) inspection is due: drives reminders like a certificate's expiry.</summary>
    public DateOnly? NextInspectionDue { get; set; }

    public DateTimeOffset SourceUpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c> of the row: the optimistic-concurrency token of a back-office edit.</summary>
    public uint Version { get; set; }
}
