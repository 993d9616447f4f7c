using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using WoningPas.Api.Infrastructure;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Staff;

/// <summary>
/// Why a staff member searches, opens, reads or changes a dossier: typed by them on every page (<c>doel</c>) and
/// sent by agency software on every staff API call (<c>purpose</c>), and stored with their name in the access log,
/// where the holders read it. One set of rules for all of them, with no default: a purpose that the log could not
/// keep as typed is refused before anything is read or written, so that it can neither vanish in a clamped entry
/// nor make the log refuse an edit, or a batch of other people's reads.
/// </summary>
public static class StaffPurpose
{
    public const int MinLength = 5;

    /// <summary>The column's length: a purpose that fits the form fits the log.</summary>
    public const int MaxLength = AccessLogColumns.Purpose;

    /// <summary>The error key, on the pages and in the API's problem details.</summary>
    public const string Field = "purpose";

    /// <summary>The purpose as it will be logged (trimmed), or null with a Dutch message in <paramref name="errors"/>.</summary>
    public static string? Validate(string? purpose, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var why = purpose?.Trim() ?? "";
        if (why.Length < MinLength || why.Length > MaxLength)
        {
            errors[Field] = [$"Geef het doel in {MinLength} tot {MaxLength} tekens, bijvoorbeeld een dossiernummer."];
            return null;
        }

        if (HasControlCharacters(why))
        {
            errors[Field] = ["Het doel mag geen stuurtekens bevatten (zoals een regeleinde of tab): typ het op één regel."];
            return null;
        }

        return why;
    }

    /// <summary>The same check for the JSON API: a 400 problem with <c>errors.purpose</c>, or null when valid.</summary>
    public static ProblemHttpResult? Refusal(string? purpose, out string valid)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        valid = Validate(purpose, errors) ?? "";
        return errors.Count == 0
            ? null
            : TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "A valid purpose is required",
                Detail = $"Send why you need this dossier in the query parameter purpose: {MinLength} to {MaxLength} characters, no control characters. Nothing was read or written.",
                Type = ProblemTypes.Validation,
            });
    }

    // Control and format characters (line breaks, tabs, NUL, bidirectional overrides) would let a purpose break or
    // disguise how the log reads; unpaired surrogates cannot be stored at all.
    private static bool HasControlCharacters(string value) =>
        AccessLogColumns.HasUnstorableCharacters(value)
        || value.Any(c => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
