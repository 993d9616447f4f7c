using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WoningPas.Data.Sections;
using WoningPas.Domain;

namespace WoningPas.Api.Staff;

/// <summary>The EPC section as staff edit it and as a version row stores it (before and after).</summary>
public sealed record EpcValues(string SourceReference, decimal PrimaryEnergyUse, DateOnly IssuedOn, string Label,
    DateOnly ValidUntil)
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    public static EpcValues Of(EnergyCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new(certificate.SourceReference, certificate.PrimaryEnergyUse, certificate.IssuedOn,
            certificate.Label.ToDisplay(), certificate.ValidUntil);
    }

    /// <summary>The label and the end of validity follow from the input by the Domain's rules, never from the editor.</summary>
    public static EpcValues From(string sourceReference, decimal primaryEnergyUse, DateOnly issuedOn) =>
        new(sourceReference, primaryEnergyUse, issuedOn, EnergyLabels.FromPrimaryEnergyUse(primaryEnergyUse).ToDisplay(),
            CertificateRules.EpcValidUntil(issuedOn));

    public void ApplyTo(EnergyCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        certificate.SourceReference = SourceReference;
        certificate.PrimaryEnergyUse = PrimaryEnergyUse;
        certificate.IssuedOn = IssuedOn;
        certificate.Label = EnergyLabels.FromPrimaryEnergyUse(PrimaryEnergyUse);
        certificate.ValidUntil = CertificateRules.EpcValidUntil(IssuedOn);
    }

    public JsonDocument ToJson() => JsonSerializer.SerializeToDocument(this, SnapshotJson);

    public static EpcValues FromJson(JsonDocument json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json.Deserialize<EpcValues>(SnapshotJson)
            ?? throw new InvalidOperationException("A section version holds no EPC values.");
    }

    /// <summary>The fields that differ, with the Dutch field name, this value and the other value, for a page.</summary>
    public IReadOnlyList<FieldDifference> DifferencesFrom(EpcValues other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<FieldDifference>();
        Add(differences, "Certificaatnummer", other.SourceReference, SourceReference);
        Add(differences, "Primair energieverbruik (kWh/m² per jaar)", EpcInput.Format(other.PrimaryEnergyUse),
            EpcInput.Format(PrimaryEnergyUse));
        Add(differences, "Datum van uitreiking", EpcInput.Format(other.IssuedOn), EpcInput.Format(IssuedOn));
        Add(differences, "Label", other.Label, Label);
        Add(differences, "Geldig tot", EpcInput.Format(other.ValidUntil), EpcInput.Format(ValidUntil));
        return differences;
    }

    private static void Add(List<FieldDifference> differences, string field, string from, string to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal))
        {
            differences.Add(new FieldDifference(field, from, to));
        }
    }
}

public sealed record FieldDifference(string Field, string From, string To);

/// <summary>
/// The three things an editor types, as text (a form or JSON), checked field by field with messages in Dutch. The
/// field names are those of the JSON API and of the form.
/// </summary>
public static partial class EpcInput
{
    public const string SourceReferenceField = "sourceReference";
    public const string PrimaryEnergyUseField = "primaryEnergyUse";
    public const string IssuedOnField = "issuedOn";

    /// <summary>The Flemish residential EPC exists since November 2008; an earlier date is a typing error.</summary>
    public static readonly DateOnly FirstIssueDate = new(2008, 11, 1);

    public const decimal MinPrimaryEnergyUse = -500m;
    public const decimal MaxPrimaryEnergyUse = 2000m;

    private static readonly CultureInfo Belgian = CultureInfo.GetCultureInfo("nl-BE");

    public static EpcValues? Validate(string? sourceReference, string? primaryEnergyUse, string? issuedOn, DateOnly today,
        out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var reference = sourceReference?.Trim() ?? "";
        if (reference.Length == 0)
        {
            errors[SourceReferenceField] = ["Vul het certificaatnummer in."];
        }
        else if (reference.Length > 50 || !ReferencePattern().IsMatch(reference))
        {
            errors[SourceReferenceField] =
                ["Het certificaatnummer bestaat uit 3 tot 50 letters, cijfers, streepjes of schuine strepen."];
        }

        decimal use = 0;
        var useText = primaryEnergyUse?.Trim() ?? "";
        if (useText.Length == 0)
        {
            errors[PrimaryEnergyUseField] = ["Vul het primair energieverbruik in."];
        }
        else if (!decimal.TryParse(useText.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                     CultureInfo.InvariantCulture, out use))
        {
            errors[PrimaryEnergyUseField] = ["Het primair energieverbruik is een getal, bijvoorbeeld 245,5."];
        }
        else if (use < MinPrimaryEnergyUse || use > MaxPrimaryEnergyUse)
        {
            errors[PrimaryEnergyUseField] =
                [$"Het primair energieverbruik ligt tussen {Format(MinPrimaryEnergyUse)} en {Format(MaxPrimaryEnergyUse)} kWh/m² per jaar."];
        }
        else if (decimal.Round(use, 1) != use)
        {
            errors[PrimaryEnergyUseField] = ["Het primair energieverbruik heeft hoogstens één cijfer na de komma."];
        }

        var issued = default(DateOnly);
        var issuedText = issuedOn?.Trim() ?? "";
        if (issuedText.Length == 0)
        {
            errors[IssuedOnField] = ["Vul de datum van uitreiking in."];
        }
        else if (!DateOnly.TryParseExact(issuedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out issued)
                 && !DateOnly.TryParseExact(issuedText, "d/M/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out issued))
        {
            errors[IssuedOnField] = ["De datum van uitreiking is een datum, bijvoorbeeld 2024-03-15."];
        }
        else if (issued > today)
        {
            errors[IssuedOnField] = ["De datum van uitreiking ligt niet in de toekomst."];
        }
        else if (issued < FirstIssueDate)
        {
            errors[IssuedOnField] = [$"Een EPC bestaat pas sinds {Format(FirstIssueDate)}."];
        }

        return errors.Count == 0 ? EpcValues.From(reference.ToUpperInvariant(), use, issued) : null;
    }

    public static string Format(decimal value) => value.ToString("0.#", Belgian);

    public static string Format(DateOnly value) => value.ToString("d MMMM yyyy", Belgian);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9/-]{2,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
