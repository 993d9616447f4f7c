using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WoningPas.Cli.Exit;

/// <summary>
/// One export file encrypted with AES-256-GCM in 1 MiB segments, so that a file of any size streams in constant
/// memory. Layout: magic, an 8-byte random nonce prefix, then segments of [final flag][plaintext length, int32 BE]
/// [ciphertext][16-byte tag]. The nonce is the prefix plus the segment number; the associated data binds the file
/// name and the final flag, so a segment moved to another file, reordered, dropped or a truncated tail all fail
/// authentication.
/// </summary>
internal static class SealedFile
{
    public const int SegmentSize = 1 << 20;
    public const int TagSize = 16;
    public static ReadOnlySpan<byte> Magic => "WPXSEG1\n"u8;

    public static byte[] Nonce(ReadOnlySpan<byte> prefix, uint segment)
    {
        var nonce = new byte[12];
        prefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), segment);
        return nonce;
    }

    public static byte[] AssociatedData(string fileName, bool final) =>
        [.. Encoding.UTF8.GetBytes(fileName), 0, final ? (byte)1 : (byte)0];
}

/// <summary>Writes a sealed file; <see cref="Complete"/> writes the final segment and must be called.</summary>
internal sealed class SealedFileWriter : IDisposable
{
    private readonly Stream _output;
    private readonly AesGcm _aes;
    private readonly string _fileName;
    private readonly byte[] _prefix = RandomNumberGenerator.GetBytes(8);
    private readonly byte[] _buffer = new byte[SealedFile.SegmentSize];
    private readonly byte[] _cipher = new byte[SealedFile.SegmentSize];
    private readonly byte[] _tag = new byte[SealedFile.TagSize];
    private int _filled;
    private uint _segment;

    public SealedFileWriter(Stream output, byte[] key, string fileName)
    {
        _output = output;
        _aes = new AesGcm(key, SealedFile.TagSize);
        _fileName = fileName;
        _output.Write(SealedFile.Magic);
        _output.Write(_prefix);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, _buffer.Length - _filled);
            data[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == _buffer.Length)
            {
                Flush(final: false);
            }
        }
    }

    public void Complete() => Flush(final: true);

    private void Flush(bool final)
    {
        var plain = _buffer.AsSpan(0, _filled);
        var cipher = _cipher.AsSpan(0, _filled);
        _aes.Encrypt(SealedFile.Nonce(_prefix, _segment++), plain, cipher, _tag, SealedFile.AssociatedData(_fileName, final));
        Span<byte> header = stackalloc byte[5];
        header[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], _filled);
        _output.Write(header);
        _output.Write(cipher);
        _output.Write(_tag);
        _filled = 0;
    }

    public void Dispose() => _aes.Dispose();
}

/// <summary>Reads a sealed file as a plain, forward-only stream; any tampering or truncation throws.</summary>
internal sealed class SealedFileReader : Stream
{
    private readonly Stream _input;
    private readonly AesGcm _aes;
    private readonly string _fileName;
    private readonly byte[] _prefix = new byte[8];
    private readonly byte[] _plain = new byte[SealedFile.SegmentSize];
    private readonly byte[] _cipher = new byte[SealedFile.SegmentSize];
    private readonly byte[] _tag = new byte[SealedFile.TagSize];
    private int _position;
    private int _length;
    private uint _segment;
    private bool _final;

    public SealedFileReader(Stream input, byte[] key, string fileName)
    {
        _input = input;
        _aes = new AesGcm(key, SealedFile.TagSize);
        _fileName = fileName;
        Span<byte> magic = stackalloc byte[SealedFile.Magic.Length];
        if (!TryFill(magic) || !magic.SequenceEqual(SealedFile.Magic) || !TryFill(_prefix))
        {
            throw new ExitException($"{fileName} is not a sealed export file.");
        }
    }

    public override int Read(Span<byte> buffer)
    {
        while (_position == _length)
        {
            if (_final)
            {
                return 0;
            }

            NextSegment();
        }

        var take = Math.Min(buffer.Length, _length - _position);
        _plain.AsSpan(_position, take).CopyTo(buffer);
        _position += take;
        return take;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void NextSegment()
    {
        Span<byte> header = stackalloc byte[5];
        if (!TryFill(header))
        {
            throw new ExitException($"{_fileName} is truncated: its final segment is missing.");
        }

        var final = header[0] == 1;
        var length = BinaryPrimitives.ReadInt32BigEndian(header[1..]);
        if (header[0] > 1 || length < 0 || length > SealedFile.SegmentSize
            || !TryFill(_cipher.AsSpan(0, length)) || !TryFill(_tag))
        {
            throw new ExitException($"{_fileName} is truncated or damaged at segment {_segment}.");
        }

        try
        {
            _aes.Decrypt(SealedFile.Nonce(_prefix, _segment++), _cipher.AsSpan(0, length), _tag, _plain.AsSpan(0, length),
                SealedFile.AssociatedData(_fileName, final));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ExitException($"{_fileName} fails authentication at segment {_segment - 1}: it was altered, or the key is wrong.");
        }

        _final = final;
        _position = 0;
        _length = length;
        if (final && _input.ReadByte() != -1)
        {
            throw new ExitException($"{_fileName} has data after its final segment.");
        }
    }

    private bool TryFill(Span<byte> target)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = _input.Read(target[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>An export or import that cannot go on; the message is for the operator.</summary>
internal sealed class ExitException(string message) : Exception(message);
