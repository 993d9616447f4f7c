namespace WoningPas.Api.Documents;

/// <summary>Why a PDF could not be inspected completely; each is refused, never half inspected.</summary>
public enum PdfUninspectable
{
    /// <summary>The inspection ran past <see cref="DocumentOptions.PdfInspectionSeconds"/>.</summary>
    TooSlow,

    /// <summary>The parser needed more memory than <see cref="DocumentOptions.PdfInspectionMemoryBytes"/>.</summary>
    TooMuchMemory,

    /// <summary>The decoded document is larger than <see cref="DocumentOptions.MaxInflatedBytes"/>.</summary>
    TooLarge,

    /// <summary>A password is needed to open it, so its content cannot be read.</summary>
    PasswordProtected,

    /// <summary>A stream uses a filter that could not be decoded, so what a reader makes of it is unknown.</summary>
    UndecodableStream,

    /// <summary>Not a PDF that a reader's parser can open.</summary>
    Unreadable,
}

/// <summary>What the PDF inspection found: nothing active, an active feature (by its reason), or why it could not look.</summary>
public sealed record PdfInspection(bool IsClean, string? ActiveFeature, PdfUninspectable? Uninspectable)
{
    public static PdfInspection Clean { get; } = new(true, null, null);

    public static PdfInspection Active(string feature) => new(false, feature, null);

    public static PdfInspection NotInspectable(PdfUninspectable why) => new(false, null, why);

    /// <summary>The reason in English for the problem's detail; the pages word it in Dutch from <see cref="ReasonCode"/>.</summary>
    public string? UninspectableReason => Uninspectable switch
    {
        PdfUninspectable.TooSlow => "it takes longer to inspect than the inspection allows",
        PdfUninspectable.TooMuchMemory => "it needs more memory to inspect than the inspection allows",
        PdfUninspectable.TooLarge => "its decoded content is larger than the inspection allows",
        PdfUninspectable.PasswordProtected => "it is protected with a password",
        PdfUninspectable.UndecodableStream => "a part of it is encoded in a way that cannot be decoded",
        PdfUninspectable.Unreadable => "it is damaged or not a PDF that can be read",
        _ => null,
    };

    /// <summary>A stable code for the problem's <c>reason</c> member, so that a client can word it in its own language.</summary>
    public string? ReasonCode => Uninspectable switch
    {
        PdfUninspectable.TooSlow => "too-slow",
        PdfUninspectable.TooMuchMemory => "too-much-memory",
        PdfUninspectable.TooLarge => "too-large",
        PdfUninspectable.PasswordProtected => "password",
        PdfUninspectable.UndecodableStream => "undecodable",
        PdfUninspectable.Unreadable => "unreadable",
        _ => null,
    };
}
