using System.Globalization;
using System.Text.RegularExpressions;

namespace WoningPas.Api.Staff;

/// <summary>
/// The checks the section definitions share, each on one field of the typed input with a message in Dutch under that
/// field's name. A failed check returns null and leaves its message; the section refuses when any message was left.
/// </summary>
public static partial class FieldRules
{
    public const string SourceReferenceField = "sourceReference";
    public const string IssuedOnField = "issuedOn";

    /// <summary>A source reference (certificate or file number), normalised to upper case.</summary>
    public static string? Reference(IReadOnlyDictionary<string, string?> input, string noun,
        Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var reference = Get(input, SourceReferenceField).Trim();
        if (reference.Length == 0)
        {
            errors[SourceReferenceField] = [$"Vul {noun} in."];
            return null;
        }

        if (reference.Length > 50 || !ReferencePattern().IsMatch(reference))
        {
            errors[SourceReferenceField] = [$"{Capital(noun)} bestaat uit 3 tot 50 letters, cijfers, streepjes of schuine strepen."];
            return null;
        }

        return reference.ToUpperInvariant();
    }

    public static string? Text(IReadOnlyDictionary<string, string?> input, string field, string noun, int maxLength,
        Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Get(input, field).Trim();
        if (text.Length == 0)
        {
            errors[field] = [$"Vul {noun} in."];
            return null;
        }

        if (text.Length > maxLength || text.Any(char.IsControl))
        {
            errors[field] = [$"{Capital(noun)} is hoogstens {maxLength} tekens lang, zonder regeleinden."];
            return null;
        }

        return text;
    }

    /// <summary>A date as yyyy-MM-dd (the date input) or d/M/yyyy, not in the future and not before <paramref name="earliest"/>.</summary>
    /// <returns>The date; null when it is missing (check <paramref name="errors"/> for a required one) or wrong.</returns>
    public static DateOnly? Date(IReadOnlyDictionary<string, string?> input, string field, string noun, bool required,
        DateOnly today, DateOnly earliest, string earliestReason, Dictionary<string, string[]> errors, bool mayBeFuture = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Get(input, field).Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                errors[field] = [$"Vul {noun} in."];
            }

            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && !DateOnly.TryParseExact(text, "d/M/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            errors[field] = [$"{Capital(noun)} is een datum, bijvoorbeeld 2024-03-15."];
            return null;
        }

        if (!mayBeFuture && date > today)
        {
            errors[field] = [$"{Capital(noun)} ligt niet in de toekomst."];
            return null;
        }

        if (date < earliest)
        {
            errors[field] = [earliestReason];
            return null;
        }

        return date;
    }

    public static decimal? Decimal(IReadOnlyDictionary<string, string?> input, string field, string noun,
        decimal min, decimal max, string unit, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Get(input, field).Trim();
        if (text.Length == 0)
        {
            errors[field] = [$"Vul {noun} in."];
            return null;
        }

        if (!decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var value))
        {
            errors[field] = [$"{Capital(noun)} is een getal, bijvoorbeeld 245,5."];
            return null;
        }

        if (value < min || value > max)
        {
            errors[field] = [$"{Capital(noun)} ligt tussen {SectionKind.Format(min)} en {SectionKind.Format(max)} {unit}."];
            return null;
        }

        if (decimal.Round(value, 1) != value)
        {
            errors[field] = [$"{Capital(noun)} heeft hoogstens één cijfer na de komma."];
            return null;
        }

        return value;
    }

    /// <summary>Yes or no: <c>true</c>/<c>false</c> (JSON and the form's checkbox) or ja/nee.</summary>
    public static bool? YesNo(IReadOnlyDictionary<string, string?> input, string field, string question,
        Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        switch (Get(input, field).Trim().ToLowerInvariant())
        {
            case "true" or "ja":
                return true;
            case "false" or "nee":
                return false;
            default:
                errors[field] = [$"Geef aan of {question}: ja of nee."];
                return null;
        }
    }

    private static string Get(IReadOnlyDictionary<string, string?> input, string field) =>
        input.TryGetValue(field, out var value) ? value ?? "" : "";

    private static string Capital(string noun) =>
        noun.StartsWith("het ", StringComparison.Ordinal) || noun.StartsWith("de ", StringComparison.Ordinal)
            ? char.ToUpperInvariant(noun[0]) + noun[1..]
            : noun;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9/-]{2,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
