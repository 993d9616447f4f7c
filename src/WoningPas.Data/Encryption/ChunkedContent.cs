using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WoningPas.Data.Encryption;

/// <summary>
/// Large values (document contents) encrypted as a stream, so neither writing nor reading needs the whole value in
/// memory. Layout: <c>[0x01][key version, int32 big-endian]</c> followed by chunks <c>[nonce, 12][ciphertext][tag, 16]</c>
/// of <see cref="ChunkSize"/> plain bytes each, except the last, which always holds fewer (possibly none). Each chunk's
/// associated data is <c>header ‖ table ‖ 0x00 ‖ column ‖ 0x00 ‖ row id ‖ chunk index (int64 big-endian) ‖ final flag</c>,
/// so a value copied to another row fails, and chunks cannot be reordered, dropped or cut off. The header is the same as
/// <see cref="KeyRing"/>'s, so the key-version counts read it the same way.
/// </summary>
public static class ChunkedContent
{
    public const int ChunkSize = 64 * 1024;
    public const int ChunkOverhead = KeyRing.NonceSize + KeyRing.TagSize;
    internal const int PrefixSize = KeyRing.HeaderSize + KeyRing.NonceSize;

    public static long EncryptedLength(long plainLength) =>
        KeyRing.HeaderSize + (((plainLength / ChunkSize) + 1) * ChunkOverhead) + plainLength;

    public static long PlainLength(long encryptedLength)
    {
        var body = encryptedLength - KeyRing.HeaderSize;
        return body - (((body / (ChunkSize + ChunkOverhead)) + 1) * ChunkOverhead);
    }

    internal static byte[] AssociatedData(ReadOnlySpan<byte> header, FieldAddress address)
    {
        var table = Encoding.UTF8.GetBytes(address.Table);
        var column = Encoding.UTF8.GetBytes(address.Column);
        var data = new byte[KeyRing.HeaderSize + table.Length + 1 + column.Length + 1 + 16 + 8 + 1];
        header.CopyTo(data);
        var position = KeyRing.HeaderSize;
        table.CopyTo(data, position);
        position += table.Length + 1;
        column.CopyTo(data, position);
        position += column.Length + 1;
        address.RowId.TryWriteBytes(data.AsSpan(position), bigEndian: true, out _);
        return data;
    }

    internal static void SetChunk(byte[] associated, long index, bool final)
    {
        BinaryPrimitives.WriteInt64BigEndian(associated.AsSpan(associated.Length - 9, 8), index);
        associated[^1] = final ? (byte)1 : (byte)0;
    }
}

/// <summary>Reads plain bytes from the source and yields the chunked ciphertext; exactly <c>length</c> plain bytes.</summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _source;
    private readonly Func<AesGcm> _aes;
    private readonly byte[] _associated;
    private readonly byte[] _plain = new byte[ChunkedContent.ChunkSize];
    private readonly byte[] _output = new byte[ChunkedContent.ChunkSize + ChunkedContent.ChunkOverhead];
    private long _remaining;
    private long _index;
    private int _outputStart;
    private int _outputEnd;
    private bool _finished;

    public EncryptingStream(Stream source, long length, Func<AesGcm> aes, int version, FieldAddress address)
    {
        _source = source;
        _aes = aes;
        _remaining = length;
        _output[0] = KeyRing.Format;
        BinaryPrimitives.WriteInt32BigEndian(_output.AsSpan(1, 4), version);
        _outputEnd = KeyRing.HeaderSize;
        _associated = ChunkedContent.AssociatedData(_output.AsSpan(0, KeyRing.HeaderSize), address);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_outputStart == _outputEnd && !_finished)
        {
            var size = NextSize();
            _source.ReadExactly(_plain, 0, size);
            Seal(size);
        }

        return Drain(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_outputStart == _outputEnd && !_finished)
        {
            var size = NextSize();
            await _source.ReadExactlyAsync(_plain.AsMemory(0, size), cancellationToken);
            Seal(size);
        }

        return Drain(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int NextSize() => (int)Math.Min(ChunkedContent.ChunkSize, _remaining);

    private void Seal(int size)
    {
        var final = size < ChunkedContent.ChunkSize;
        ChunkedContent.SetChunk(_associated, _index++, final);
        var nonce = _output.AsSpan(0, KeyRing.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes().Encrypt(nonce, _plain.AsSpan(0, size), _output.AsSpan(KeyRing.NonceSize, size),
            _output.AsSpan(KeyRing.NonceSize + size, KeyRing.TagSize), _associated);
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, size));
        _remaining -= size;
        _finished = final;
        _outputStart = 0;
        _outputEnd = size + ChunkedContent.ChunkOverhead;
    }

    private int Drain(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsSpan(_outputStart, count).CopyTo(buffer);
        _outputStart += count;
        return count;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Reads the chunked ciphertext and yields the plain bytes, failing on the first chunk that does not verify.</summary>
internal sealed class DecryptingStream(Stream source, KeyRing ring, FieldAddress address) : Stream
{
    private readonly byte[] _chunk = new byte[ChunkedContent.ChunkSize + ChunkedContent.ChunkOverhead];
    private readonly byte[] _plain = new byte[ChunkedContent.ChunkSize];
    private byte[]? _associated;
    private Func<AesGcm>? _aes;
    private long _index;
    private int _plainStart;
    private int _plainEnd;
    private bool _finished;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Npgsql reads a parameter stream synchronously (the rotation's UPDATE); the download reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadCoreAsync(buffer.AsMemory(offset, count), sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, sync: false, cancellationToken);

    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, bool sync, CancellationToken cancellationToken)
    {
        while (_plainStart == _plainEnd && !_finished)
        {
            if (_aes is null)
            {
                var header = new byte[KeyRing.HeaderSize];
                if ((sync ? source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false)
                        : await source.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken)) < header.Length
                    || header[0] != KeyRing.Format)
                {
                    throw Failure("is not an encrypted value of a known format (run `woningpas migrate`)");
                }

                _aes = ring.AesFor(BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)), address);
                _associated = ChunkedContent.AssociatedData(header, address);
            }

            var read = sync
                ? source.ReadAtLeast(_chunk, _chunk.Length, throwOnEndOfStream: false)
                : await source.ReadAtLeastAsync(_chunk, _chunk.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < ChunkedContent.ChunkOverhead)
            {
                throw Failure("was cut off");
            }

            var final = read < _chunk.Length;
            var size = read - ChunkedContent.ChunkOverhead;
            ChunkedContent.SetChunk(_associated!, _index++, final);
            try
            {
                _aes().Decrypt(_chunk.AsSpan(0, KeyRing.NonceSize), _chunk.AsSpan(KeyRing.NonceSize, size),
                    _chunk.AsSpan(KeyRing.NonceSize + size, KeyRing.TagSize), _plain.AsSpan(0, size), _associated);
            }
            catch (AuthenticationTagMismatchException exception)
            {
                throw Failure("does not belong there (copied from another row) or was altered", exception);
            }

            _plainStart = 0;
            _plainEnd = size;
            _finished = final;
        }

        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, count).CopyTo(buffer.Span);
        _plainStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private FieldDecryptionException Failure(string what, Exception? inner = null) =>
        new($"The value in {address.Table}.{address.Column} of row {address.RowId} {what}.", inner);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
