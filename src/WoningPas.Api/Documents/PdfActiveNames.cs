using System.Collections.Frozen;
using System.Text;

namespace WoningPas.Api.Documents;

/// <summary>
/// The PDF names through which a document acts on the reader's machine, each with the reason shown to the uploader.
/// They are matched exactly on the decoded name (<c>/J#61vaScript</c> is <c>/JavaScript</c>; <c>/JSON</c> is not <c>/JS</c>).
/// </summary>
internal static class PdfActiveNames
{
    /// <summary>A PDF name is at most 127 bytes; one longer cannot be a refused name, so it is not collected.</summary>
    public const int MaxNameBytes = 127;

    private static readonly FrozenDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // An /OpenAction or /AA that runs JavaScript says so with /S /JavaScript and carries /JS; both are caught here,
        // and so is the document-level /Names /JavaScript tree.
        ["JavaScript"] = "JavaScript",
        ["JS"] = "JavaScript",
        ["Launch"] = "a launch action (starts a program)",
        ["SubmitForm"] = "a form that sends its data elsewhere",
        ["ImportData"] = "a data import action",
        ["GoToR"] = "a link into another file",
        ["GoToE"] = "a link into an embedded file",
        ["EmbeddedFile"] = "an embedded file",
        ["EmbeddedFiles"] = "an embedded file",
        ["RichMedia"] = "rich media (Flash or video)",
        ["XFA"] = "an XFA form",
        // Automatic actions run on opening a page or focusing a field without a click; an invoice needs none.
        ["AA"] = "automatic actions",
        // The inspection reads an encrypted file only when it opens without a password; a stored file that is still
        // encrypted is one an older reader or the virus scanner cannot look into, so it is refused as before.
        ["Encrypt"] = "encryption, which hides its content from inspection",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The reason for a refused name (without its slash, escapes already decoded), or null.</summary>
    public static string? Reason(ReadOnlySpan<byte> name) =>
        name.Length > MaxNameBytes ? null : Refused.GetValueOrDefault(Encoding.Latin1.GetString(name));

    /// <summary>The reason for a refused name written in PDF syntax, <c>#xx</c> escapes and all, or null.</summary>
    public static string? ReasonForEscaped(ReadOnlySpan<byte> rawName) =>
        rawName.Length > 3 * MaxNameBytes ? null : Refused.GetValueOrDefault(Decode(rawName));

    /// <summary>Decodes <c>#xx</c> escapes as a reader's tokenizer does.</summary>
    private static string Decode(ReadOnlySpan<byte> raw)
    {
        Span<byte> decoded = stackalloc byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'#' && i + 2 < raw.Length && char.IsAsciiHexDigit((char)raw[i + 1])
                && char.IsAsciiHexDigit((char)raw[i + 2]))
            {
                decoded[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = raw[i];
            }
        }

        return Encoding.Latin1.GetString(decoded[..length]);
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
