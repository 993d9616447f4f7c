using System.Buffers;
using System.Data;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Data;

namespace WoningPas.Api.Documents;

/// <summary>
/// Writes and reads document bytes as streams through Npgsql, on the DbContext's own connection and transaction:
/// EF Core would materialise the whole bytea as one array.
/// </summary>
public static class DocumentContentStore
{
    /// <summary>Inserts the content in the caller's transaction, read from <paramref name="content"/> as it is sent.</summary>
    public static async Task WriteAsync(WoningPasDbContext db, IDbContextTransaction transaction, Guid documentId,
        Stream content, long length, byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transaction);
        // ENCRYPTION AT REST plugs in here: once the data-key service is merged, `content` is wrapped in its encrypting
        // stream (a data key per document, the wrapped key stored next to the row) before it is written. Until then
        // the bytes are stored as uploaded. See docs/uploads.md, "Encryption at rest".
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(
            "INSERT INTO document_contents (document_id, content, sha256) VALUES ($1, $2, $3)", connection,
            (NpgsqlTransaction)transaction.GetDbTransaction())
        {
            Parameters =
            {
                new() { Value = documentId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = content, NpgsqlDbType = NpgsqlDbType.Bytea, Size = checked((int)length) },
                new() { Value = sha256, NpgsqlDbType = NpgsqlDbType.Bytea },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Copies the content to <paramref name="destination"/> a buffer at a time. The SHA-256 is checked as it goes; a
    /// mismatch is only known at the end, when the bytes have left, so it throws and the caller aborts the response
    /// rather than let a changed document look complete.
    /// </summary>
    public static async Task CopyToAsync(WoningPasDbContext db, Guid documentId, Stream destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(destination);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var command = new NpgsqlCommand(
                "SELECT sha256, content FROM document_contents WHERE document_id = $1", connection)
            {
                Parameters = { new() { Value = documentId, NpgsqlDbType = NpgsqlDbType.Uuid } },
            };
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The content was checked to exist before the download started.");
            }

            var expected = await reader.GetFieldValueAsync<byte[]>(0, cancellationToken);
            // ENCRYPTION AT REST: the decrypting stream of the data-key service wraps this one (see WriteAsync).
            await using var content = await reader.GetStreamAsync(1, cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (!CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), expected))
            {
                throw new InvalidDataException($"Document {documentId:D} does not match its stored SHA-256.");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
