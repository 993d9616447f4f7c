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
public sealed class Installation
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public InstallationKind Kind { get; init; }

    public required string Description { get; init; }

    /// <summary>The energy agency for registered installations, the owner for what a holder added.</summary>
    public SourceAgency Source { get; init; }

    public required string SourceReference { get; init; }

    public DateOnly? InstalledOn { get; init; }

    public DateOnly? LastInspectedOn { get; init; }

    /// <summary>When the next (legally required) inspection is due: drives reminders like a certificate's expiry.</summary>
    public DateOnly? NextInspectionDue { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
