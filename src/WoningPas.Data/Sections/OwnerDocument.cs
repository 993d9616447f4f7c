using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>
/// A document on the dwelling's passport: a holder's own (plans, invoices) or an agency's attachment to a section
/// (a certificate PDF). Only metadata here; the content is stored
/// encrypted elsewhere and served only as a download after authorisation.
/// </summary>
public sealed class OwnerDocument
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public required string FileName { get; init; }

    /// <summary>Decided from the content's magic bytes, never from the name: application/pdf, image/jpeg, image/png.</summary>
    public required string ContentType { get; init; }

    public long SizeBytes { get; init; }

    public required string Title { get; init; }

    /// <summary>Subject id of the holder (or, for an attachment, the agency editor) who uploaded it.</summary>
    public Guid UploadedBy { get; init; }

    /// <summary>
    /// For a staff attachment: the section it documents (asbestos, epc, ...); null for a holder's own document.
    /// </summary>
    public string? Section { get; init; }

    /// <summary>For a staff attachment: the organisation of the editor who attached it.</summary>
    public string? Organisation { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}
