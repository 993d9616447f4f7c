using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>
/// A document a holder added to the dwelling's passport (plans, invoices). Only metadata here; the content is stored
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

    /// <summary>Subject id of the holder who uploaded it.</summary>
    public Guid UploadedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}
