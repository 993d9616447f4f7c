using System.Buffers;
using System.Data;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Data;
using WoningPas.Data.Encryption;

namespace WoningPas.Api.Documents;

/// <summary>
/// Writes and reads document bytes as streams through Npgsql, on the DbContext's own connection and transaction:
/// EF Core would materialise the whole bytea as one array.
/// </summary>
public static class DocumentContentStore
{
    /// <summary>Inserts the content in the caller's transaction, read from <paramref name="content"/> as it is sent.</summary>
    public static async Task WriteAsync(WoningPasDbContext db, IDbContextTransaction transaction, KeyRingCache keys,
        Guid documentId, Stream content, long length, byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(keys);
        // Encrypted chunk by chunk as Npgsql reads it, bound to this document's id: see docs/encryption.md.
        var ring = await keys.GetAsync(cancellationToken);
        // The bytes encrypted and stored are verified against the SHA-256 of the bytes that were checked.
        await using var verified = new VerifiedContentStream(content, length, sha256);
        await using var encrypted = ring.EncryptingStream(verified, length, Address(documentId));
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(
            "INSERT INTO document_contents (document_id, content, sha256) VALUES ($1, $2, $3)", connection,
            (NpgsqlTransaction)transaction.GetDbTransaction())
        {
            Parameters =
            {
                new() { Value = documentId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = encrypted, NpgsqlDbType = NpgsqlDbType.Bytea, Size = checked((int)ChunkedContent.EncryptedLength(length)) },
                new() { Value = sha256, NpgsqlDbType = NpgsqlDbType.Bytea },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Copies the content to <paramref name="destination"/> a buffer at a time. The SHA-256 is checked as it goes; a
    /// mismatch is only known at the end, when the bytes have left, so it throws and the caller aborts the response
    /// rather than let a changed document look complete. A content that does not decrypt (copied from another document,
    /// altered, under an unknown key) throws <see cref="FieldDecryptionException"/>; for a copied content that happens
    /// on the first chunk, before anything was written to <paramref name="destination"/>.
    /// </summary>
    public static async Task CopyToAsync(WoningPasDbContext db, KeyRingCache keys, Guid documentId, Stream destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(destination);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
#pragma warning disable CA2100 // built from EncryptedColumns only
            await using var command = new NpgsqlCommand(
                $"SELECT sha256, {EncryptedColumns.VersionSql("content")}, content FROM document_contents WHERE document_id = $1", connection)
            {
                Parameters = { new() { Value = documentId, NpgsqlDbType = NpgsqlDbType.Uuid } },
            };
#pragma warning restore CA2100
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The content was checked to exist before the download started.");
            }

            var expected = await reader.GetFieldValueAsync<byte[]>(0, cancellationToken);
            // The ring is reloaded when the content is under a version it does not hold yet (a rotation since).
            var ring = await keys.ForVersionAsync(reader.GetInt32(1), cancellationToken);
            await using var stored = await reader.GetStreamAsync(2, cancellationToken);
            await using var content = ring.DecryptingStream(stored, Address(documentId));
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

    private static FieldAddress Address(Guid documentId) =>
        new(EncryptedColumns.DocumentContents.Table, EncryptedColumns.DocumentContents.Columns[0], documentId);
}
