using System.Security.Cryptography;
using WoningPas.Data.Encryption;

namespace WoningPas.Cli.Backups;

/// <summary>
/// The encryption step of a backup: the dump is streamed through the chunked AES-256-GCM format of document contents
/// (<see cref="ChunkedContent"/>) under the active data key version, each chunk bound to the backup's id, its index
/// and a final flag, so a generation's file cannot be swapped with another's, reordered or cut off without failing.
/// Both directions stream (64 KiB at a time) and hash the plain dump as it passes, so the manifest can name the
/// SHA-256 of the plain dump as well as of the stored ciphertext.
/// </summary>
internal sealed class BackupEncryption(KeyRing ring)
{
    public const string Algorithm = "AES-256-GCM, 64 KiB chunks";

    /// <summary>Stands in for the table/column of <see cref="FieldAddress"/>: a backup is not a database value.</summary>
    private const string Purpose = "backups";

    public int CurrentKeyVersion => ring.ActiveVersion;

    /// <summary>Encrypts <paramref name="length"/> plain bytes to <paramref name="output"/>; returns the plain SHA-256.</summary>
    public async Task<string> EncryptAsync(Stream plain, long length, Stream output, Guid backupId, CancellationToken cancellationToken)
    {
        await using var hashed = new HashingStream(plain);
        await using var encrypted = ring.EncryptingStream(hashed, length, Address(backupId));
        await encrypted.CopyToAsync(output, 1 << 16, cancellationToken);
        return hashed.HashHex();
    }

    /// <summary>
    /// Encrypts the plain dump at <paramref name="plainPath"/> into a new file at <paramref name="storedPath"/>, readable
    /// only by its owner; returns the plain size and SHA-256.
    /// </summary>
    public async Task<(long PlainSize, string PlainSha256)> EncryptFileAsync(string plainPath, string storedPath, Guid backupId,
        CancellationToken cancellationToken)
    {
        await using var plain = new FileStream(plainPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await using var output = new FileStream(storedPath, PrivateFile(FileMode.CreateNew));
        var sha256 = await EncryptAsync(plain, plain.Length, output, backupId, cancellationToken);
        await output.FlushAsync(cancellationToken);
        output.Flush(flushToDisk: true);
        return (plain.Length, sha256);
    }

    /// <summary>Options for a file that holds a dump, plain or encrypted: mode 0600.</summary>
    public static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>
    /// Decrypts a stored file to <paramref name="output"/>, returning the plain SHA-256; a chunk that does not verify
    /// (altered, reordered, another backup's, cut off, under a destroyed key) throws <see cref="BackupException"/>.
    /// </summary>
    public async Task<string> DecryptAsync(Stream stored, Stream output, Guid backupId, string generation,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var plain = ring.DecryptingStream(stored, Address(backupId));
            await using var hashed = new HashingStream(plain);
            await hashed.CopyToAsync(output, 1 << 16, cancellationToken);
            return hashed.HashHex();
        }
        catch (FieldDecryptionException exception)
        {
            throw new BackupException(
                $"Refused: generation {generation} does not decrypt ({exception.Message.Replace($"{Purpose}.dump of row", "backup", StringComparison.Ordinal)}). Restore another generation.");
        }
    }

    /// <summary>The plain dump of a stored file, read as it is decrypted (for re-encryption under a new version).</summary>
    public Stream Decrypting(Stream stored, Guid backupId) => ring.DecryptingStream(stored, Address(backupId));

    /// <summary>The plain length of a stored file of <paramref name="storedLength"/> bytes.</summary>
    public static long PlainLength(long storedLength) => ChunkedContent.PlainLength(storedLength);

    private static FieldAddress Address(Guid backupId) => new(Purpose, "dump", backupId);
}

/// <summary>A read-through stream that hashes (SHA-256) what passes.</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string HashHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _hash.AppendData(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
