namespace WoningPas.Api.Documents;

/// <summary>An accepted kind of document: the media type it is served with and the extension its name gets.</summary>
public sealed record DocumentType(string MediaType, string Extension)
{
    public static DocumentType Pdf { get; } = new("application/pdf", ".pdf");
    public static DocumentType Jpeg { get; } = new("image/jpeg", ".jpg");
    public static DocumentType Png { get; } = new("image/png", ".png");

    /// <summary>Bytes needed to decide.</summary>
    public const int HeadLength = 8;

    /// <summary>
    /// The type from the first bytes only. A name or a Content-Type header is the uploader's claim; the magic bytes are
    /// what a reader or a browser acts on.
    /// </summary>
    public static DocumentType? Detect(ReadOnlySpan<byte> head) =>
        head.StartsWith("%PDF-"u8) ? Pdf
        : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? Jpeg
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? Png
        : null;

    /// <summary>What refused content looks like, for a clearer reason than "not accepted".</summary>
    public static string Describe(ReadOnlySpan<byte> head) =>
        head.IsEmpty ? "an empty file"
        : head.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']) ? "a Linux program (ELF)"
        : head.StartsWith("MZ"u8) ? "a Windows program (PE)"
        : head.StartsWith("PK"u8) ? "a ZIP archive (or an Office document)"
        : head.StartsWith("#!"u8) ? "a script"
        : "a file of another type";
}
