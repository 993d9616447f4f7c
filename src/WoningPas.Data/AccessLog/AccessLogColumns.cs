namespace WoningPas.Data.AccessLog;

/// <summary>
/// The lengths of the access log's text columns, in one place: the entity configuration declares the columns with
/// them, and the Api clamps every field to them before an entry is chained, so that no value can make an insert fail
/// (a failed insert refuses the read or the write it records).
/// </summary>
public static class AccessLogColumns
{
    public const int ActorId = 100;
    public const int ActingForId = 100;
    public const int ActorRole = 50;
    public const int ActorOrganisation = 100;
    public const int Action = 20;
    public const int ObjectKind = 50;
    public const int ObjectId = 100;
    public const int Purpose = 200;
    public const int Outcome = 20;
    public const int ClientAddress = 45;
    public const int CorrelationId = 100;
    public const int Hash = 32;

    /// <summary>
    /// The entry as it can be stored: every text field cut at its column's length, and what PostgreSQL or UTF-8 cannot
    /// hold (NUL, other control characters, an unpaired surrogate) replaced by U+FFFD. Staff purposes are refused with
    /// a message before they get here; this is the last guard for the fields nobody types.
    /// </summary>
    public static AccessLogEntry Clamp(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry with
        {
            ActorId = Fit(entry.ActorId, ActorId)!,
            ActingForId = Fit(entry.ActingForId, ActingForId),
            ActorRole = Fit(entry.ActorRole, ActorRole)!,
            ActorOrganisation = Fit(entry.ActorOrganisation, ActorOrganisation),
            ObjectKind = Fit(entry.ObjectKind, ObjectKind)!,
            ObjectId = Fit(entry.ObjectId, ObjectId),
            Purpose = Fit(entry.Purpose, Purpose)!,
            ClientAddress = Fit(entry.ClientAddress, ClientAddress),
            CorrelationId = Fit(entry.CorrelationId, CorrelationId),
        };
    }

    /// <summary>True when a typed-in value holds a character the log would not keep as typed.</summary>
    public static bool HasUnstorableCharacters(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            if (Unstorable(value, i))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Fit(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var clean = HasUnstorableCharacters(value) ? Clean(value) : value;
        if (clean.Length <= maxLength)
        {
            return clean;
        }

        // varchar(n) counts characters (code points); never cut a surrogate pair in two.
        var cut = char.IsHighSurrogate(clean[maxLength - 1]) ? maxLength - 1 : maxLength;
        return clean[..cut];
    }

    private static string Clean(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = Unstorable(source, i) ? '\uFFFD' : source[i];
            }
        });

    private static bool Unstorable(string value, int i)
    {
        var c = value[i];
        if (char.IsControl(c))
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
    }
}
