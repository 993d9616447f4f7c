using System.Collections.Frozen;
using System.Text.Json.Nodes;
using WoningPas.Data;
using WoningPas.Data.Sections;
using WoningPas.Domain;

namespace WoningPas.Api.Staff;

/// <summary>
/// The sections the back office edits: those held in PostgreSQL and owned by an agency. Flood scores and permits are
/// read from their registries when a passport is read (Registries/PassportRegistries), so their owners correct them at
/// the registry; the renovation obligation is derived, documents belong to the holders.
/// </summary>
public static class SectionKinds
{
    public static FrozenDictionary<string, SectionKind> All { get; } = new SectionKind[]
    {
        new EpcKind(), new AsbestosKind(), new SoilKind(), new ConformityKind(), new InstallationsKind(),
    }.ToFrozenDictionary(k => k.Section, StringComparer.Ordinal);

    public static SectionKind? Find(string? section) =>
        section is not null && All.TryGetValue(section, out var kind) ? kind : null;

    /// <summary>A Dutch sentence for a section staff cannot edit here, or null when it is editable.</summary>
    public static string? WhyNotEditable(string section) => section switch
    {
        "flood" => "De overstromingsgevoeligheid komt rechtstreeks uit het register van het Departement Omgeving en wordt daar verbeterd, niet hier.",
        "permits" => "De vergunningen komen rechtstreeks uit het omgevingsloket van de gemeente en worden daar verbeterd, niet hier.",
        _ when All.ContainsKey(section) => null,
        _ => "Dit onderdeel wordt niet door een agentschap bewerkt.",
    };
}

public sealed class EpcKind : SectionKind<EnergyCertificate>
{
    public const string PrimaryEnergyUseField = "primaryEnergyUse";

    /// <summary>The Flemish residential EPC exists since November 2008; an earlier date is a typing error.</summary>
    public static readonly DateOnly FirstIssueDate = new(2008, 11, 1);

    public override string Section => "epc";

    public override string Title => "EPC";

    public override bool SingleRecord => true;

    public override string DuplicateReference => "Een ander EPC heeft dit certificaatnummer al.";

    public override IReadOnlyList<SectionField> Fields { get; } =
    [
        new(FieldRules.SourceReferenceField, "Certificaatnummer", FieldFormat.Text, "Het nummer van het energieagentschap, bijvoorbeeld EPC-2019-0001234."),
        new(PrimaryEnergyUseField, "Primair energieverbruik (kWh/m² per jaar)", FieldFormat.Decimal, "Een getal met hoogstens één cijfer na de komma, bijvoorbeeld 245,5."),
        new(FieldRules.IssuedOnField, "Datum van uitreiking", FieldFormat.Date, "Niet in de toekomst en niet vóór 1 november 2008."),
        new("label", "Label", FieldFormat.Text, Editable: false),
        new("validUntil", "Geldig tot", FieldFormat.Date, Editable: false),
    ];

    protected override IQueryable<EnergyCertificate> Records(WoningPasDbContext db, Guid dwellingId) =>
        db.EnergyCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).ThenByDescending(c => c.Id);

    protected override JsonObject ValuesOf(EnergyCertificate record) => new()
    {
        [FieldRules.SourceReferenceField] = record.SourceReference,
        [PrimaryEnergyUseField] = record.PrimaryEnergyUse,
        [FieldRules.IssuedOnField] = Iso(record.IssuedOn),
        ["label"] = record.Label.ToDisplay(),
        ["validUntil"] = Iso(record.ValidUntil),
    };

    /// <summary>The label and the end of validity follow from the input by the Domain's rules, never from the editor.</summary>
    protected override void ApplyTo(JsonObject values, EnergyCertificate record)
    {
        record.SourceReference = values[FieldRules.SourceReferenceField]!.GetValue<string>();
        record.PrimaryEnergyUse = values[PrimaryEnergyUseField]!.GetValue<decimal>();
        record.IssuedOn = DateOf(values, FieldRules.IssuedOnField)!.Value;
        record.Label = EnergyLabels.FromPrimaryEnergyUse(record.PrimaryEnergyUse);
        record.ValidUntil = CertificateRules.EpcValidUntil(record.IssuedOn);
    }

    public override JsonObject? Validate(IReadOnlyDictionary<string, string?> input, DateOnly today,
        Dictionary<string, string[]> errors)
    {
        var reference = FieldRules.Reference(input, "het certificaatnummer", errors);
        var use = FieldRules.Decimal(input, PrimaryEnergyUseField, "het primair energieverbruik", -500m, 2000m,
            "kWh/m² per jaar", errors);
        var issued = FieldRules.Date(input, FieldRules.IssuedOnField, "de datum van uitreiking", true, today,
            FirstIssueDate, $"Een EPC bestaat pas sinds {Format(FirstIssueDate)}.", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new JsonObject
        {
            [FieldRules.SourceReferenceField] = reference,
            [PrimaryEnergyUseField] = use!.Value,
            [FieldRules.IssuedOnField] = Iso(issued!.Value),
            ["label"] = EnergyLabels.FromPrimaryEnergyUse(use.Value).ToDisplay(),
            ["validUntil"] = Iso(CertificateRules.EpcValidUntil(issued.Value)),
        };
    }
}

/// <summary>
/// What the three waste- and housing-agency certificates share: a number, an issue date and one yes/no finding. The
/// earliest date is a guard against typing errors, not a legal date.
/// </summary>
internal static class Certificates
{
    public static readonly DateOnly Earliest = new(1995, 1, 1);

    public static string EarliestReason => $"De datum van uitreiking ligt niet vóór {SectionKind.Format(Earliest)}.";

    public const string IssuedOnHint = "Niet in de toekomst.";
}

public sealed class AsbestosKind : SectionKind<AsbestosCertificate>
{
    public const string HighRiskField = "hasHighRiskMaterials";

    public override string Section => "asbestos";

    public override string Title => "asbestinventarisattest";

    public override bool SingleRecord => true;

    public override IReadOnlyList<SectionField> Fields { get; } =
    [
        new(FieldRules.SourceReferenceField, "Attestnummer", FieldFormat.Text, "Het nummer van OVAM, bijvoorbeeld ASB-2023-000451."),
        new(FieldRules.IssuedOnField, "Datum van uitreiking", FieldFormat.Date, Certificates.IssuedOnHint),
        new(HighRiskField, "Niet-asbestveilige materialen met een hoog risico gevonden", FieldFormat.YesNo, "Dan is het attest 5 jaar geldig in plaats van 10."),
        new("validUntil", "Geldig tot", FieldFormat.Date, Editable: false),
    ];

    protected override IQueryable<AsbestosCertificate> Records(WoningPasDbContext db, Guid dwellingId) =>
        db.AsbestosCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).ThenByDescending(c => c.Id);

    protected override JsonObject ValuesOf(AsbestosCertificate record) => new()
    {
        [FieldRules.SourceReferenceField] = record.SourceReference,
        [FieldRules.IssuedOnField] = Iso(record.IssuedOn),
        [HighRiskField] = record.HasHighRiskMaterials,
        ["validUntil"] = Iso(record.ValidUntil),
    };

    protected override void ApplyTo(JsonObject values, AsbestosCertificate record)
    {
        record.SourceReference = values[FieldRules.SourceReferenceField]!.GetValue<string>();
        record.IssuedOn = DateOf(values, FieldRules.IssuedOnField)!.Value;
        record.HasHighRiskMaterials = values[HighRiskField]!.GetValue<bool>();
        record.ValidUntil = CertificateRules.AsbestosValidUntil(record.IssuedOn, record.HasHighRiskMaterials);
    }

    public override JsonObject? Validate(IReadOnlyDictionary<string, string?> input, DateOnly today,
        Dictionary<string, string[]> errors)
    {
        var reference = FieldRules.Reference(input, "het attestnummer", errors);
        var issued = FieldRules.Date(input, FieldRules.IssuedOnField, "de datum van uitreiking", true, today,
            Certificates.Earliest, Certificates.EarliestReason, errors);
        var highRisk = FieldRules.YesNo(input, HighRiskField, "er niet-asbestveilige materialen met een hoog risico zijn", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new JsonObject
        {
            [FieldRules.SourceReferenceField] = reference,
            [FieldRules.IssuedOnField] = Iso(issued!.Value),
            [HighRiskField] = highRisk!.Value,
            ["validUntil"] = Iso(CertificateRules.AsbestosValidUntil(issued.Value, highRisk.Value)),
        };
    }
}

public sealed class ConformityKind : SectionKind<ConformityCertificate>
{
    public const string DefectsField = "afterInvestigationWithDefects";

    public override string Section => "conformity";

    public override string Title => "conformiteitsattest";

    public override bool SingleRecord => true;

    public override IReadOnlyList<SectionField> Fields { get; } =
    [
        new(FieldRules.SourceReferenceField, "Attestnummer", FieldFormat.Text, "Het nummer van Wonen in Vlaanderen, bijvoorbeeld CA-2017-11002-0093."),
        new(FieldRules.IssuedOnField, "Datum van uitreiking", FieldFormat.Date, Certificates.IssuedOnHint),
        new(DefectsField, "Uitgereikt na een kwaliteitsonderzoek met gebreken", FieldFormat.YesNo, "Dan is het attest 5 jaar geldig in plaats van 10."),
        new("validUntil", "Geldig tot", FieldFormat.Date, Editable: false),
    ];

    protected override IQueryable<ConformityCertificate> Records(WoningPasDbContext db, Guid dwellingId) =>
        db.ConformityCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).ThenByDescending(c => c.Id);

    protected override JsonObject ValuesOf(ConformityCertificate record) => new()
    {
        [FieldRules.SourceReferenceField] = record.SourceReference,
        [FieldRules.IssuedOnField] = Iso(record.IssuedOn),
        [DefectsField] = record.AfterInvestigationWithDefects,
        ["validUntil"] = Iso(record.ValidUntil),
    };

    protected override void ApplyTo(JsonObject values, ConformityCertificate record)
    {
        record.SourceReference = values[FieldRules.SourceReferenceField]!.GetValue<string>();
        record.IssuedOn = DateOf(values, FieldRules.IssuedOnField)!.Value;
        record.AfterInvestigationWithDefects = values[DefectsField]!.GetValue<bool>();
        record.ValidUntil = CertificateRules.ConformityValidUntil(record.IssuedOn, record.AfterInvestigationWithDefects);
    }

    public override JsonObject? Validate(IReadOnlyDictionary<string, string?> input, DateOnly today,
        Dictionary<string, string[]> errors)
    {
        var reference = FieldRules.Reference(input, "het attestnummer", errors);
        var issued = FieldRules.Date(input, FieldRules.IssuedOnField, "de datum van uitreiking", true, today,
            Certificates.Earliest, Certificates.EarliestReason, errors);
        var defects = FieldRules.YesNo(input, DefectsField, "het attest na een kwaliteitsonderzoek met gebreken is uitgereikt", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new JsonObject
        {
            [FieldRules.SourceReferenceField] = reference,
            [FieldRules.IssuedOnField] = Iso(issued!.Value),
            [DefectsField] = defects!.Value,
            ["validUntil"] = Iso(CertificateRules.ConformityValidUntil(issued.Value, defects.Value)),
        };
    }
}

/// <summary>A soil certificate per parcel of the dwelling's building: several records, each addressed by its id.</summary>
public sealed class SoilKind : SectionKind<SoilCertificate>
{
    public const string RegisterField = "inLandInformationRegister";

    public override string Section => "soil";

    public override string Title => "bodemattest";

    public override bool SingleRecord => false;

    public override IReadOnlyList<SectionField> Fields { get; } =
    [
        new(FieldRules.SourceReferenceField, "Attestnummer", FieldFormat.Text, "Het nummer van OVAM, bijvoorbeeld BA-2023-118822."),
        new(FieldRules.IssuedOnField, "Datum van uitreiking", FieldFormat.Date, Certificates.IssuedOnHint),
        new(RegisterField, "Perceel opgenomen in het grondeneninformatieregister", FieldFormat.YesNo, "Er vonden risicoactiviteiten plaats op het perceel."),
    ];

    protected override IQueryable<SoilCertificate> Records(WoningPasDbContext db, Guid dwellingId) =>
        db.SoilCertificates
            .Where(s => db.Dwellings.Any(d => d.Id == dwellingId && d.Building.Parcels.Any(p => p.Id == s.ParcelId)))
            .OrderByDescending(s => s.IssuedOn).ThenByDescending(s => s.Id);

    protected override JsonObject ValuesOf(SoilCertificate record) => new()
    {
        [FieldRules.SourceReferenceField] = record.SourceReference,
        [FieldRules.IssuedOnField] = Iso(record.IssuedOn),
        [RegisterField] = record.InLandInformationRegister,
    };

    protected override void ApplyTo(JsonObject values, SoilCertificate record)
    {
        record.SourceReference = values[FieldRules.SourceReferenceField]!.GetValue<string>();
        record.IssuedOn = DateOf(values, FieldRules.IssuedOnField)!.Value;
        record.InLandInformationRegister = values[RegisterField]!.GetValue<bool>();
    }

    public override JsonObject? Validate(IReadOnlyDictionary<string, string?> input, DateOnly today,
        Dictionary<string, string[]> errors)
    {
        var reference = FieldRules.Reference(input, "het attestnummer", errors);
        var issued = FieldRules.Date(input, FieldRules.IssuedOnField, "de datum van uitreiking", true, today,
            Certificates.Earliest, Certificates.EarliestReason, errors);
        var inRegister = FieldRules.YesNo(input, RegisterField, "het perceel in het grondeneninformatieregister staat", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new JsonObject
        {
            [FieldRules.SourceReferenceField] = reference,
            [FieldRules.IssuedOnField] = Iso(issued!.Value),
            [RegisterField] = inRegister!.Value,
        };
    }
}

/// <summary>
/// The installations the energy agency registered (those a holder added are the holder's and not edited here): several
/// records, each addressed by its id. The kind is fixed; the rest is edited.
/// </summary>
public sealed class InstallationsKind : SectionKind<Installation>
{
    public const string DescriptionField = "description";
    public const string InstalledOnField = "installedOn";
    public const string LastInspectedOnField = "lastInspectedOn";
    public const string NextInspectionDueField = "nextInspectionDue";

    private static readonly DateOnly Earliest = new(1900, 1, 1);

    public override string Section => "installations";

    public override string Title => "installatie";

    public override string Named => "de installatie";

    public override bool SingleRecord => false;

    public override string DuplicateReference => "Een andere installatie heeft dit registratienummer al.";

    public override IReadOnlyList<SectionField> Fields { get; } =
    [
        new("kind", "Soort", FieldFormat.Text, Editable: false),
        new(DescriptionField, "Omschrijving", FieldFormat.Text, "Hoogstens 500 tekens, bijvoorbeeld Lucht-water warmtepomp 8 kW."),
        new(FieldRules.SourceReferenceField, "Registratienummer", FieldFormat.Text, "Het nummer van het energieagentschap, bijvoorbeeld INST-2024-77120."),
        new(InstalledOnField, "Geplaatst op", FieldFormat.Date, "Niet verplicht; niet in de toekomst.", Required: false),
        new(LastInspectedOnField, "Laatst gekeurd op", FieldFormat.Date, "Niet verplicht; niet in de toekomst.", Required: false),
        new(NextInspectionDueField, "Volgende keuring vóór", FieldFormat.Date, "Niet verplicht; na de laatste keuring.", Required: false),
    ];

    public static string KindName(InstallationKind kind) => kind switch
    {
        InstallationKind.Heating => "Verwarming",
        InstallationKind.Ventilation => "Ventilatie",
        InstallationKind.SolarPanels => "Zonnepanelen",
        InstallationKind.HeatPump => "Warmtepomp",
        InstallationKind.ElectricalInspection => "Keuring elektrische installatie",
        _ => kind.ToString(),
    };

    protected override IQueryable<Installation> Records(WoningPasDbContext db, Guid dwellingId) =>
        db.Installations.Where(i => i.DwellingId == dwellingId && i.Source == SourceAgency.EnergyAgency)
            .OrderBy(i => i.Kind).ThenBy(i => i.Id);

    protected override JsonObject ValuesOf(Installation record) => new()
    {
        ["kind"] = KindName(record.Kind),
        [DescriptionField] = record.Description,
        [FieldRules.SourceReferenceField] = record.SourceReference,
        [InstalledOnField] = record.InstalledOn is { } installed ? Iso(installed) : null,
        [LastInspectedOnField] = record.LastInspectedOn is { } inspected ? Iso(inspected) : null,
        [NextInspectionDueField] = record.NextInspectionDue is { } due ? Iso(due) : null,
    };

    protected override void ApplyTo(JsonObject values, Installation record)
    {
        record.Description = values[DescriptionField]!.GetValue<string>();
        record.SourceReference = values[FieldRules.SourceReferenceField]!.GetValue<string>();
        record.InstalledOn = DateOf(values, InstalledOnField);
        record.LastInspectedOn = DateOf(values, LastInspectedOnField);
        record.NextInspectionDue = DateOf(values, NextInspectionDueField);
    }

    /// <summary>The kind is fixed: it is not part of the input, and a save keeps the record's own.</summary>
    public override JsonObject? Validate(IReadOnlyDictionary<string, string?> input, DateOnly today,
        Dictionary<string, string[]> errors)
    {
        var description = FieldRules.Text(input, DescriptionField, "de omschrijving", 500, errors);
        var reference = FieldRules.Reference(input, "het registratienummer", errors);
        var earliestReason = $"De datum ligt niet vóór {Format(Earliest)}.";
        var installed = FieldRules.Date(input, InstalledOnField, "de datum van plaatsing", false, today, Earliest, earliestReason, errors);
        var inspected = FieldRules.Date(input, LastInspectedOnField, "de datum van de laatste keuring", false, today, Earliest, earliestReason, errors);
        var due = FieldRules.Date(input, NextInspectionDueField, "de datum van de volgende keuring", false, today, Earliest,
            earliestReason, errors, mayBeFuture: true);
        if (due is not null && inspected is not null && due <= inspected)
        {
            errors[NextInspectionDueField] = ["De volgende keuring ligt na de laatste keuring."];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new JsonObject
        {
            [DescriptionField] = description,
            [FieldRules.SourceReferenceField] = reference,
            [InstalledOnField] = installed is { } i ? Iso(i) : null,
            [LastInspectedOnField] = inspected is { } l ? Iso(l) : null,
            [NextInspectionDueField] = due is { } n ? Iso(n) : null,
        };
    }
}
