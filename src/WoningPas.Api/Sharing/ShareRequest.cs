using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using WoningPas.Api.Passport;

namespace WoningPas.Api.Sharing;

/// <summary>A validated request to share: which sections, with whom (an e-mail address or a link), until when.</summary>
public sealed record ShareRequest(IReadOnlyList<string> Sections, string? RecipientEmail, DateOnly ExpiresOn);

/// <summary>
/// Reads the body of a share request by hand rather than through model binding, so that every mistake, malformed JSON
/// included, comes back as a field-level problem and nothing can throw past it.
/// </summary>
public static class ShareRequestParser
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxEmailLength = 254;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "sections", "recipientEmail", "link", "expiresOn",
    };

    public static ShareRequest? Parse(ReadOnlySpan<byte> body, DateOnly today, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            errors["body"] = ["The body must be one JSON object."];
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["The body must be one JSON object."];
                return null;
            }

            foreach (var property in root.EnumerateObject().Where(p => !KnownFields.Contains(p.Name)))
            {
                errors[property.Name] = ["Unknown field: use sections, recipientEmail or link, and expiresOn."];
            }

            var sections = ParseSections(root, errors);
            var email = ParseRecipient(root, errors);
            var expiresOn = ParseExpiry(root, today, errors);
            return errors.Count == 0 ? new ShareRequest(sections!, email, expiresOn!.Value) : null;
        }
    }

    private static List<string>? ParseSections(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("sections", out var value) || value.ValueKind != JsonValueKind.Array
            || value.GetArrayLength() == 0)
        {
            errors["sections"] = ["Required: a non-empty array of section names."];
            return null;
        }

        var sections = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null || !PassportEndpoints.SectionNames.Contains(name, StringComparer.Ordinal))
            {
                errors["sections"] = [$"Each section must be one of: {string.Join(", ", PassportEndpoints.SectionNames)}."];
                return null;
            }

            if (!sections.Contains(name, StringComparer.Ordinal))
            {
                sections.Add(name);
            }
        }

        return sections;
    }

    private static string? ParseRecipient(JsonElement root, Dictionary<string, string[]> errors)
    {
        var hasEmail = root.TryGetProperty("recipientEmail", out var email) && email.ValueKind != JsonValueKind.Null;
        var asLink = root.TryGetProperty("link", out var link) && link.ValueKind == JsonValueKind.True;
        if (root.TryGetProperty("link", out link) && link.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            errors["link"] = ["Must be true or false."];
            return null;
        }

        if (hasEmail == asLink)
        {
            errors["recipientEmail"] = ["Give either recipientEmail or \"link\": true, not both and not neither."];
            return null;
        }

        if (asLink)
        {
            return null;
        }

        var text = email.ValueKind == JsonValueKind.String ? email.GetString()!.Trim() : null;
        if (text is null || text.Length is 0 or > MaxEmailLength || !IsEmail(text))
        {
            errors["recipientEmail"] = [$"Must be an e-mail address of at most {MaxEmailLength} characters."];
            return null;
        }

        return text.ToLowerInvariant();
    }

    private static bool IsEmail(string text) =>
        MailAddress.TryCreate(text, out var address) && address.Address == text && !text.Any(char.IsWhiteSpace);

    private static DateOnly? ParseExpiry(JsonElement root, DateOnly today, Dictionary<string, string[]> errors)
    {
        var latest = today.AddYears(1);
        if (!root.TryGetProperty("expiresOn", out var value) || value.ValueKind != JsonValueKind.String
            || !DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
                out var expiresOn))
        {
            errors["expiresOn"] = ["Required: a date as yyyy-MM-dd."];
            return null;
        }

        if (expiresOn < today || expiresOn > latest)
        {
            errors["expiresOn"] = [string.Create(CultureInfo.InvariantCulture,
                $"Must be from today ({today:yyyy-MM-dd}) to at most one year ahead ({latest:yyyy-MM-dd}).")];
            return null;
        }

        return expiresOn;
    }
}
