using System.Security.Cryptography;

namespace WoningPas.Api.Documents;

/// <summary>
/// Reads the spool for the database and proves that what is stored is what was checked: the SHA-256 taken while the
/// upload arrived (before the virus scan and the inspection read the same file) must match the bytes read here, or
/// the read throws and the store's transaction rolls back. Nothing in the Api writes to a spool after receiving it;
/// this makes that a checked fact rather than an assumption (another process of the same user could).
/// </summary>
internal sealed class VerifiedContentStream(Stream inner, long length, byte[] sha256) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_read == length || buffer.IsEmpty)
        {
            return 0;
        }

        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, length - _read)]);
        return Account(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_read == length || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _read)], cancellationToken);
        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Account(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        _read += data.Length;
        // An early end (the file shrank) or, at the last byte, another hash: not the content that was checked.
        if (data.IsEmpty || (_read == length && !CryptographicOperations.FixedTimeEquals(_hash.GetHashAndReset(), sha256)))
        {
            throw new InvalidDataException("The upload changed between its checks and its storage; nothing is stored.");
        }

        return data.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
