using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Exit;

/// <summary>
/// Turns a row of a table with encrypted columns between its stored form (<c>row_to_json</c>: bytea as
/// <c>"\\x…"</c>, under this instance's data keys) and its export form (the plain values, no blind index). The export
/// decrypts with the source's key ring; the import encrypts with the target's and recomputes the blind index with the
/// target's index key, so nothing of the source's key material crosses over.
/// </summary>
internal static class EncryptedRows
{
    // The export file is JSON Lines for a program, never HTML: UTF-8 as PostgreSQL writes it for the other tables.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Decrypt(string storedRow, EncryptedTable table, KeyRing ring)
    {
        var row = Parse(storedRow, table);
        var id = RowId(row, table);
        foreach (var column in table.Columns)
        {
            if (row[column] is { } value)
            {
                if (value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() is not ['\\', 'x', .. var hex])
                {
                    throw new ExitException($"Export stopped: {table.Table}.{column} of row {id} is not a bytea value.");
                }

                try
                {
                    row[column] = ring.Decrypt(Convert.FromHexString(hex), new FieldAddress(table.Table, column, id));
                }
                catch (FieldDecryptionException exception)
                {
                    throw new ExitException($"Export stopped: {exception.Message}");
                }
            }
        }

        if (table.Index is { } index)
        {
            row.Remove(index.Column);
        }

        return row.ToJsonString(Json);
    }

    public static string Encrypt(string exportedRow, EncryptedTable table, KeyRing ring)
    {
        var row = Parse(exportedRow, table);
        var id = RowId(row, table);
        var plain = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            var value = row[column];
            if (value is not null && value.GetValueKind() != JsonValueKind.String)
            {
                throw new ExitException($"{table.Table}.{column} of row {id} is not a text value.");
            }

            plain[column] = value?.GetValue<string>();
            row[column] = plain[column] is { } text ? Bytea(ring.Encrypt(text, new FieldAddress(table.Table, column, id))) : null;
        }

        if (table.Index is { } index)
        {
            row[index.Column] = plain[index.SourceColumn] is { } source ? Bytea(ring.BlindIndex(index.Purpose, index.Normalised(source))) : null;
        }

        return row.ToJsonString(Json);
    }

    /// <summary>
    /// A document_contents row with its content decrypted (<see cref="EncryptedColumns.DocumentContents"/>: the
    /// chunked format, bound to the document id) into plain bytea. The sha256 column stays: it is over the plain bytes,
    /// so the target checks its downloads against it as the source did.
    /// </summary>
    public static string DecryptContent(string storedRow, KeyRing ring)
    {
        var table = EncryptedColumns.DocumentContents;
        var row = Parse(storedRow, table);
        var id = DocumentId(row);
        foreach (var column in table.Columns)
        {
            if (row[column] is { } value)
            {
                using var plain = new MemoryStream();
                try
                {
                    using var stored = new MemoryStream(Hex(value, table, column, id), writable: false);
                    using var decrypting = ring.DecryptingStream(stored, new FieldAddress(table.Table, column, id));
                    decrypting.CopyTo(plain);
                }
                catch (FieldDecryptionException exception)
                {
                    throw new ExitException($"Export stopped: {exception.Message}");
                }

                row[column] = Bytea(plain.ToArray());
            }
        }

        return row.ToJsonString(Json);
    }

    /// <summary>The reverse of <see cref="DecryptContent"/>: the content encrypted under the target's active key version.</summary>
    public static string EncryptContent(string exportedRow, KeyRing ring)
    {
        var table = EncryptedColumns.DocumentContents;
        var row = Parse(exportedRow, table);
        var id = DocumentId(row);
        foreach (var column in table.Columns)
        {
            if (row[column] is { } value)
            {
                var plain = Hex(value, table, column, id);
                using var source = new MemoryStream(plain, writable: false);
                using var encrypting = ring.EncryptingStream(source, plain.Length, new FieldAddress(table.Table, column, id));
                using var stored = new MemoryStream(checked((int)ChunkedContent.EncryptedLength(plain.Length)));
                encrypting.CopyTo(stored);
                row[column] = Bytea(stored.ToArray());
            }
        }

        return row.ToJsonString(Json);
    }

    private static byte[] Hex(JsonNode value, EncryptedTable table, string column, Guid id) =>
        value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is ['\\', 'x', .. var hex]
            ? Convert.FromHexString(hex)
            : throw new ExitException($"{table.Table}.{column} of row {id} is not a bytea value.");

    private static Guid DocumentId(JsonObject row) =>
        row["document_id"] is { } id && id.GetValueKind() == JsonValueKind.String && Guid.TryParse(id.GetValue<string>(), out var guid)
            ? guid
            : throw new ExitException($"A row of {EncryptedColumns.DocumentContents.Table} has no uuid document_id.");

    private static string Bytea(byte[] value) => "\\x" + Convert.ToHexStringLower(value);

    private static JsonObject Parse(string line, EncryptedTable table)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? throw new ExitException($"A row of {table.Table} is not a JSON object.");
        }
        catch (JsonException)
        {
            throw new ExitException($"A row of {table.Table} is not valid JSON.");
        }
    }

    private static Guid RowId(JsonObject row, EncryptedTable table) =>
        row["id"] is { } id && id.GetValueKind() == JsonValueKind.String && Guid.TryParse(id.GetValue<string>(), out var guid)
            ? guid
            : throw new ExitException($"A row of {table.Table} has no uuid id.");
}
