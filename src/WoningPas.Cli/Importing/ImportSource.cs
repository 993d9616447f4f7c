using System.Globalization;
using System.Text.RegularExpressions;
using NpgsqlTypes;
using WoningPas.Domain;

namespace WoningPas.Cli.Importing;

/// <summary>A rule a field broke: the line, the field, and the rule in words.</summary>
public sealed record ImportError(int Line, string Field, string Rule);

/// <summary>One column of a source file: its name, its staging column, and how a text value becomes a typed one.</summary>
internal sealed record ImportColumn(string Name, NpgsqlDbType Type, bool Required, Func<string, ParseResult> Parse);

/// <summary>A staging column computed from a valid row rather than read from the file.</summary>
internal sealed record DerivedColumn(string Name, NpgsqlDbType Type, Func<IReadOnlyDictionary<string, object?>, object?> Compute);

internal readonly record struct ParseResult(object? Value, string? Rule)
{
    public static ParseResult Ok(object? value) => new(value, null);

    public static ParseResult Fail(string rule) => new(null, rule);
}

/// <summary>
/// A source agency's file: its columns, a rule across fields of one row, and the SQL that turns validated staging rows
/// into section rows. Rows are matched to a dwelling by the address register id, as the agencies know addresses,
/// not our ids. Re-importing a certificate (same number) updates it.
/// </summary>
internal sealed partial record ImportSource(
    string Name,
    IReadOnlyList<ImportColumn> Columns,
    Func<IReadOnlyDictionary<string, object?>, ImportError?> RowRule,
    IReadOnlyList<DerivedColumn> Derived,
    string UpsertSql)
{
    public static readonly DateOnly FirstEpcDay = new(2008, 1, 1);

    public static ImportSource? Find(string name, DateOnly today) => name switch
    {
        "epc" => Epc(today),
        "asbestos" => Asbestos(today),
        _ => null,
    };

    public static IReadOnlyList<string> Names { get; } = ["epc", "asbestos"];

    private static ImportSource Epc(DateOnly today) => new(
        "epc",
        [
            CertificateNumber(),
            AddressRegisterId(),
            Day("issued_on", FirstEpcDay, today),
            new("primary_energy_use", NpgsqlDbType.Numeric, true, text =>
                decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                    ? value is >= -500m and <= 3000m ? ParseResult.Ok(value) : ParseResult.Fail("must be between -500 and 3000 kWh/m²·yr")
                    : ParseResult.Fail("must be a number with a decimal point (e.g. 312.5)")),
            new("label", NpgsqlDbType.Text, false, text =>
                EnergyLabels.TryParseDisplay(text, out var label) ? ParseResult.Ok(label.ToDisplay()) : ParseResult.Fail("must be A+, A, B, C, D, E or F")),
        ],
        row => row["label"] is string label && row["primary_energy_use"] is decimal use
            && EnergyLabels.FromPrimaryEnergyUse(use).ToDisplay() != label
                ? new ImportError(0, "label", $"does not match the primary energy use (expected {EnergyLabels.FromPrimaryEnergyUse(use).ToDisplay()})")
                : null,
        // Label and validity are computed by the domain rules, the single source of DOMAIN.md's bands and periods.
        [
            new("stored_label", NpgsqlDbType.Text, row => EnergyLabels.FromPrimaryEnergyUse((decimal)row["primary_energy_use"]!).ToString()),
            new("valid_until", NpgsqlDbType.Date, row => CertificateRules.EpcValidUntil((DateOnly)row["issued_on"]!)),
        ],
        """
        INSERT INTO energy_certificates (id, dwelling_id, source_reference, primary_energy_use, label, issued_on, valid_until, source_updated_at)
        SELECT gen_random_uuid(), s.dwelling_id, s.certificate_number, s.primary_energy_use, s.stored_label, s.issued_on,
               s.valid_until, now()
        FROM import_staging s WHERE NOT s.rejected
        ON CONFLICT (source_reference) DO UPDATE SET
            dwelling_id = excluded.dwelling_id, primary_energy_use = excluded.primary_energy_use, label = excluded.label,
            issued_on = excluded.issued_on, valid_until = excluded.valid_until, source_updated_at = excluded.source_updated_at
        """);

    private static ImportSource Asbestos(DateOnly today) => new(
        "asbestos",
        [
            CertificateNumber(),
            AddressRegisterId(),
            Day("issued_on", new DateOnly(2022, 1, 1), today),
            new("high_risk", NpgsqlDbType.Boolean, true, text => text.ToUpperInvariant() switch
            {
                "TRUE" or "JA" or "1" => ParseResult.Ok(true),
                "FALSE" or "NEE" or "0" => ParseResult.Ok(false),
                _ => ParseResult.Fail("must be true or false"),
            }),
        ],
        _ => null,
        [new("valid_until", NpgsqlDbType.Date, row => CertificateRules.AsbestosValidUntil((DateOnly)row["issued_on"]!, (bool)row["high_risk"]!))],
        """
        INSERT INTO asbestos_certificates (id, dwelling_id, source_reference, issued_on, has_high_risk_materials, valid_until, source_updated_at)
        SELECT gen_random_uuid(), s.dwelling_id, s.certificate_number, s.issued_on, s.high_risk, s.valid_until, now()
        FROM import_staging s WHERE NOT s.rejected
        ON CONFLICT (source_reference) DO UPDATE SET
            dwelling_id = excluded.dwelling_id, issued_on = excluded.issued_on,
            has_high_risk_materials = excluded.has_high_risk_materials, valid_until = excluded.valid_until,
            source_updated_at = excluded.source_updated_at
        """);

    private static ImportColumn CertificateNumber() => new("certificate_number", NpgsqlDbType.Text, true, text =>
        CertificateNumberPattern().IsMatch(text) ? ParseResult.Ok(text) : ParseResult.Fail("must be 3 to 50 letters, digits or dashes"));

    private static ImportColumn AddressRegisterId() => new("address_register_id", NpgsqlDbType.Text, true, text =>
        text.Length <= 200 ? ParseResult.Ok(text) : ParseResult.Fail("must be at most 200 characters"));

    private static ImportColumn Day(string name, DateOnly first, DateOnly today) => new(name, NpgsqlDbType.Date, true, text =>
        !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? ParseResult.Fail("must be a date as yyyy-MM-dd")
            : day < first ? ParseResult.Fail($"must not be before {first:yyyy-MM-dd}")
            : day > today ? ParseResult.Fail("must not be in the future")
            : ParseResult.Ok(day));

    [GeneratedRegex("^[A-Za-z0-9-]{3,50}$")]
    private static partial Regex CertificateNumberPattern();
}
