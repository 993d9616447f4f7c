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
