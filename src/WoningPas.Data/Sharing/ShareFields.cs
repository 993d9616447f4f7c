using WoningPas.Data.Encryption;

namespace WoningPas.Data.Sharing;

/// <summary>
/// Encrypts, decrypts and finds a share's recipient e-mail: the one place that knows how it is stored. The address is
/// personal data, so the column holds AES-GCM ciphertext bound to the row, and a recipient's shares are found through
/// a keyed blind index of the normalised address under its own purpose (an INSZ index can never match it).
/// </summary>
public static class ShareFields
{
    public const string Table = "dwelling_shares";
    public const string RecipientEmailColumn = "recipient_email";
    public const string RecipientEmailIndexColumn = "recipient_email_index";

    /// <summary>Domain separation of the e-mail blind index from every other blind index.</summary>
    public const string RecipientEmailIndexPurpose = "dwelling_shares.recipient_email";

    /// <summary>
    /// The form the address is stored and indexed in: trimmed and lower-cased, so that the address a holder typed and
    /// the one the identity provider verified at sign-in meet whatever their case or surrounding spaces.
    /// </summary>
    public static string Normalise(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>Sets the recipient of an e-mail share (a new share, whose id is already fixed).</summary>
    public static (byte[] Encrypted, byte[] Index) Recipient(this KeyRing ring, Guid shareId, string email)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var normalised = Normalise(email);
        return (ring.Encrypt(normalised, Address(shareId)), ring.BlindIndex(RecipientEmailIndexPurpose, normalised));
    }

    /// <summary>The recipient's address, or null for a link share.</summary>
    public static string? RecipientEmail(this KeyRing ring, DwellingShare share)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(share);
        return share.EncryptedRecipientEmail is { } value ? ring.Decrypt(value, Address(share.Id)) : null;
    }

    /// <summary>
    /// The blind index of an address under every key version still in use (during a rotation, old and new), for
    /// <c>indexes.Contains(s.RecipientEmailIndex)</c>.
    /// </summary>
    public static List<byte[]> RecipientIndexes(this KeyRing ring, string email)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return ring.BlindIndexes(RecipientEmailIndexPurpose, Normalise(email));
    }

    private static FieldAddress Address(Guid shareId) => new(Table, RecipientEmailColumn, shareId);
}
