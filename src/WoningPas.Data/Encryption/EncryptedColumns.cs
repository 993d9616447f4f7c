using WoningPas.Data.People;
using WoningPas.Data.Sharing;

namespace WoningPas.Data.Encryption;

/// <summary>
/// A table with encrypted columns; its primary key is a uuid <c>id</c>. <c>Index</c> is a blind index kept next to one
/// of the columns, recomputed whenever that column is re-encrypted.
/// </summary>
public sealed record EncryptedTable(string Table, IReadOnlyList<string> Columns, BlindIndexColumn? Index = null);

/// <summary>
/// <paramref name="Column"/> holds HMAC(index key, <paramref name="Purpose"/> ‖ 0x00 ‖ normalised plaintext of
/// <paramref name="SourceColumn"/>). <paramref name="Normalise"/> (identity when null) is applied to a stored value
/// before indexing, so that a value stored before encryption in another form still gets the index a lookup computes.
/// </summary>
public sealed record BlindIndexColumn(string Column, string SourceColumn, string Purpose, Func<string, string>? Normalise = null)
{
    public string Normalised(string plaintext) => Normalise is null ? plaintext : Normalise(plaintext);
}

/// <summary>
/// Every encrypted column in the database, in one list: rotation, the migrate step and the key-version counts walk
/// it. A feature that adds an encrypted column adds it here.
/// </summary>
public static class EncryptedColumns
{
    public static IReadOnlyList<EncryptedTable> Tables { get; } =
    [
        new(PersonFields.Table, [PersonFields.InszColumn, PersonFields.DisplayNameColumn],
            new BlindIndexColumn(PersonFields.InszIndexColumn, PersonFields.InszColumn, PersonFields.InszIndexPurpose)),
        new(ShareFields.Table, [ShareFields.RecipientEmailColumn],
            new BlindIndexColumn(ShareFields.RecipientEmailIndexColumn, ShareFields.RecipientEmailColumn,
                ShareFields.RecipientEmailIndexPurpose, ShareFields.Normalise)),
    ];

    /// <summary>
    /// Document contents: one large value per row keyed by <c>document_id</c>, in the streamed <see cref="ChunkedContent"/>
    /// format, so <see cref="ReEncryption"/> rewrites them one row at a time in a separate step; counted with the rest.
    /// </summary>
    public static EncryptedTable DocumentContents { get; } = new("document_contents", ["content"]);

    /// <summary>SQL for the key version in a stored value's header: 0 for a value stored before encryption.</summary>
    public static string VersionSql(string column) =>
        $"CASE WHEN {column} IS NULL THEN NULL WHEN length({column}) < {KeyRing.Overhead} OR get_byte({column}, 0) <> {KeyRing.Format} THEN 0 " +
        $"ELSE (get_byte({column}, 1) << 24) | (get_byte({column}, 2) << 16) | (get_byte({column}, 3) << 8) | get_byte({column}, 4) END";
}
