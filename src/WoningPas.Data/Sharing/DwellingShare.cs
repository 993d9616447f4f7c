using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sharing;

/// <summary>
/// Chosen sections of one dwelling that a holder shares with a third party until a date: either with a person, who
/// proves the e-mail address at sign-in (stored encrypted, see <see cref="ShareFields"/>), or as a link, whose token is stored only as a SHA-256 hash. Revoked by
/// setting <see cref="RevokedAt"/>; a share is never deleted, so that the holder keeps seeing who used it.
/// </summary>
public sealed class DwellingShare
{
    public Guid Id { get; init; }

    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The holder who shared (a person id).</summary>
    public Guid CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Section names as the API spells them (epc, asbestos, ...).</summary>
    public required List<string> Sections { get; init; }

    /// <summary>
    /// The recipient's normalised e-mail, encrypted and bound to this row; null for a link share. Personal data: read
    /// and write it through <see cref="ShareFields"/>.
    /// </summary>
    public byte[]? EncryptedRecipientEmail { get; init; }

    /// <summary>Keyed blind index of the normalised e-mail, the only way to find a recipient's shares.</summary>
    public byte[]? RecipientEmailIndex { get; init; }

    /// <summary>SHA-256 of the link token; null for an e-mail share. The token itself is shown once and never stored.</summary>
    public byte[]? TokenHash { get; init; }

    /// <summary>Last Belgian calendar day on which the share may be used.</summary>
    public DateOnly ExpiresOn { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }

    public Guid? RevokedBy { get; set; }

    public bool IsActiveOn(DateOnly today) => RevokedAt is null && ExpiresOn >= today;
}
