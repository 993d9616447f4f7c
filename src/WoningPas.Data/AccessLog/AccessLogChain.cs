using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WoningPas.Data.AccessLog;

/// <summary>
/// The hash chain of the access log. The encoding is fixed and versioned so that a verifier written later, in any
/// language, recomputes the same bytes: every field in a set order, strings as length-prefixed UTF-8, absent values
/// as length -1, time as UTC microseconds since the Unix epoch (PostgreSQL's precision).
/// </summary>
public static class AccessLogChain
{
    private const byte EncodingVersion = 1;

    /// <summary>The previous hash of the very first entry.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    public static byte[] ComputeHash(byte[] previousHash, AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(entry);

        using var buffer = new MemoryStream(256);
        buffer.WriteByte(EncodingVersion);
        buffer.Write(previousHash);
        WriteInt64(buffer, entry.Id);
        WriteInt64(buffer, ToUnixMicroseconds(entry.OccurredAt));
        WriteString(buffer, entry.ActorId);
        WriteString(buffer, entry.ActingForId);
        WriteString(buffer, entry.ActorRole);
        WriteString(buffer, entry.ActorOrganisation);
        WriteString(buffer, entry.Action.ToString());
        WriteString(buffer, entry.ObjectKind);
        WriteString(buffer, entry.ObjectId);
        WriteString(buffer, entry.DwellingId?.ToString("D"));
        WriteString(buffer, entry.Purpose);
        WriteString(buffer, entry.Outcome.ToString());
        WriteString(buffer, entry.ClientAddress);
        WriteString(buffer, entry.CorrelationId);
        return SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>PostgreSQL keeps microseconds; the hash must be computed over what the database returns.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time) =>
        DateTimeOffset.UnixEpoch.AddTicks(ToUnixMicroseconds(time) * 10);

    private static long ToUnixMicroseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            stream.Write(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
