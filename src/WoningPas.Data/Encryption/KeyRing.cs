using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace WoningPas.Data.Encryption;

/// <summary>Where an encrypted value belongs: bound into its ciphertext as associated data.</summary>
public readonly record struct FieldAddress(string Table, string Column, Guid RowId);

/// <summary>A value that cannot be decrypted: another row's or column's value, altered, or under an unknown key.</summary>
public sealed class FieldDecryptionException(string message, Exception? inner = null) : CryptographicException(message, inner);

/// <summary>
/// The unwrapped data keys, loaded once (two HSM calls per key version) and then used for every value without
/// calling the HSM again. Values are AES-256-GCM in format 1:
/// <c>[0x01][key version, int32 big-endian][nonce, 12][tag, 16][ciphertext]</c>, with associated data
/// <c>header ‖ table ‖ 0x00 ‖ column ‖ 0x00 ‖ row id (16 bytes, big-endian)</c>, so a value copied to another row
/// or column fails to decrypt. Thread-safe: each thread gets its own <see cref="AesGcm"/> per key.
/// </summary>
public sealed class KeyRing
{
    public const byte Format = 1;
    public const int HeaderSize = 5;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = HeaderSize + NonceSize + TagSize;

    private readonly Dictionary<int, DataKey> _keys;

    private KeyRing(int activeVersion, Dictionary<int, DataKey> keys, IReadOnlySet<int> destroyed)
    {
        ActiveVersion = activeVersion;
        _keys = keys;
        DestroyedVersions = destroyed;
    }

    /// <summary>The version every new value is encrypted under.</summary>
    public int ActiveVersion { get; }

    public IReadOnlyCollection<int> Versions => _keys.Keys;

    public IReadOnlySet<int> DestroyedVersions { get; }

    public bool Knows(int version) => _keys.ContainsKey(version);

    /// <summary>
    /// The key version in a stored value's header; 0 for a value written before encryption existed (plain UTF-8,
    /// which never starts with byte 0x01).
    /// </summary>
    public static int VersionOf(ReadOnlySpan<byte> value) =>
        value.Length >= Overhead && value[0] == Format ? BinaryPrimitives.ReadInt32BigEndian(value[1..HeaderSize]) : 0;

    public byte[] Encrypt(string plaintext, FieldAddress address)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var key = _keys[ActiveVersion];
        var length = Encoding.UTF8.GetByteCount(plaintext);
        var value = new byte[Overhead + length];
        value[0] = Format;
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1, 4), key.Version);
        var nonce = value.AsSpan(HeaderSize, NonceSize);
        NextNonce(nonce);

        var plain = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(plaintext, plain);
        Span<byte> associated = stackalloc byte[AssociatedDataSize(address)];
        WriteAssociatedData(value.AsSpan(0, HeaderSize), address, associated);
        key.Aes.Encrypt(nonce, plain, value.AsSpan(Overhead), value.AsSpan(HeaderSize + NonceSize, TagSize), associated);
        CryptographicOperations.ZeroMemory(plain);
        return value;
    }

    public string Decrypt(ReadOnlySpan<byte> value, FieldAddress address)
    {
        if (value.Length < Overhead || value[0] != Format)
        {
            throw new FieldDecryptionException(
                $"{address.Table}.{address.Column} of row {address.RowId} is not an encrypted value of a known format (run `woningpas migrate`).");
        }

        var version = VersionOf(value);
        if (!_keys.TryGetValue(version, out var key))
        {
            throw new FieldDecryptionException(DestroyedVersions.Contains(version)
                ? $"{address.Table}.{address.Column} of row {address.RowId} is under key version {version}, which was destroyed: the value is gone for good."
                : $"{address.Table}.{address.Column} of row {address.RowId} is under key version {version}, which this key ring does not hold.");
        }

        var plain = value.Length - Overhead <= 512 ? stackalloc byte[value.Length - Overhead] : new byte[value.Length - Overhead];
        Span<byte> associated = stackalloc byte[AssociatedDataSize(address)];
        WriteAssociatedData(value[..HeaderSize], address, associated);
        try
        {
            key.Aes.Decrypt(value.Slice(HeaderSize, NonceSize), value[Overhead..], value.Slice(HeaderSize + NonceSize, TagSize),
                plain, associated);
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new FieldDecryptionException(
                $"The value in {address.Table}.{address.Column} of row {address.RowId} does not belong there (copied from another row or column) or was altered.",
                exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>A stream of the chunked ciphertext (see <see cref="ChunkedContent"/>) of <paramref name="length"/> plain bytes, under the active version.</summary>
    public Stream EncryptingStream(Stream plain, long length, FieldAddress address) =>
        new EncryptingStream(plain, length, AesFor(ActiveVersion, address), ActiveVersion, address);

    /// <summary>The plain bytes of a chunked ciphertext; a read throws <see cref="FieldDecryptionException"/> on a chunk that does not verify.</summary>
    public Stream DecryptingStream(Stream stored, FieldAddress address) => new DecryptingStream(stored, this, address);

    /// <summary>
    /// The version's cipher, fetched anew at each use: an <see cref="AesGcm"/> belongs to one thread, and a stream
    /// continues on whichever thread its awaits resume on.
    /// </summary>
    internal Func<AesGcm> AesFor(int version, FieldAddress address) =>
        _keys.TryGetValue(version, out var key)
            ? () => key.Aes
            : throw new FieldDecryptionException(DestroyedVersions.Contains(version)
                ? $"{address.Table}.{address.Column} of row {address.RowId} is under key version {version}, which was destroyed: the value is gone for good."
                : $"{address.Table}.{address.Column} of row {address.RowId} is under key version {version}, which this key ring does not hold.");

    /// <summary>The blind index of a normalised value under the active version's index key.</summary>
    public byte[] BlindIndex(string purpose, string normalised) => _keys[ActiveVersion].BlindIndex(purpose, normalised);

    /// <summary>
    /// The HMAC under one version's index key, for a value that names the version it was made under (an access-log
    /// anchor); false when the ring does not hold that version (destroyed, or never known).
    /// </summary>
    public bool TryBlindIndex(int version, string purpose, string normalised, out byte[] index)
    {
        if (_keys.TryGetValue(version, out var key))
        {
            index = key.BlindIndex(purpose, normalised);
            return true;
        }

        index = [];
        return false;
    }

    /// <summary>
    /// The blind index under every version a stored row may still carry (during a rotation, old and new), for lookups.
    /// </summary>
    public List<byte[]> BlindIndexes(string purpose, string normalised) =>
        _keys.Values.Select(k => k.BlindIndex(purpose, normalised)).ToList();

    /// <summary>
    /// Loads every version that is not destroyed and unwraps its keys with the KEK; on an empty database it makes
    /// version 1 first.
    /// </summary>
    public static async Task<KeyRing> LoadAsync(string connectionString, IKeyEncryptionKey kek, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kek);
        ArgumentNullException.ThrowIfNull(time);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var versions = await KeyStore.ListAsync(connection, cancellationToken);
        if (versions.Count == 0)
        {
            await KeyStore.AddFirstAsync(connection, kek, time, cancellationToken);
            versions = await KeyStore.ListAsync(connection, cancellationToken);
        }

        var active = versions.SingleOrDefault(v => v.State == DataKeyState.Active)
            ?? throw new InvalidOperationException("data_keys has no active version.");
        var keys = new Dictionary<int, DataKey>();
        foreach (var version in versions.Where(v => v.State != DataKeyState.Destroyed))
        {
            if (version.WrappedBy != kek.Id)
            {
                throw new InvalidOperationException(
                    $"Key version {version.Version} is wrapped by {version.WrappedBy}, but this host is configured with {kek.Id} (section Encryption).");
            }

            keys[version.Version] = new DataKey(version.Version, kek.Unwrap(version.WrappedDataKey),
                kek.Unwrap(version.WrappedIndexKey));
        }

        return new KeyRing(active.Version, keys,
            versions.Where(v => v.State == DataKeyState.Destroyed).Select(v => v.Version).ToHashSet());
    }

    [ThreadStatic]
    private static byte[]? t_nonces;

    [ThreadStatic]
    private static int t_noncesUsed;

    /// <summary>
    /// A random nonce from a per-thread buffer of CSPRNG output, refilled 256 nonces at a time: one call of the
    /// generator per value cost as much as the encryption itself.
    /// </summary>
    private static void NextNonce(Span<byte> nonce)
    {
        if (t_nonces is null || t_noncesUsed == t_nonces.Length)
        {
            t_nonces ??= new byte[NonceSize * 256];
            RandomNumberGenerator.Fill(t_nonces);
            t_noncesUsed = 0;
        }

        t_nonces.AsSpan(t_noncesUsed, NonceSize).CopyTo(nonce);
        t_noncesUsed += NonceSize;
    }

    private static int AssociatedDataSize(FieldAddress address) =>
        HeaderSize + Encoding.UTF8.GetByteCount(address.Table) + 1 + Encoding.UTF8.GetByteCount(address.Column) + 1 + 16;

    private static void WriteAssociatedData(ReadOnlySpan<byte> header, FieldAddress address, Span<byte> destination)
    {
        header.CopyTo(destination);
        var position = HeaderSize;
        position += Encoding.UTF8.GetBytes(address.Table, destination[position..]);
        destination[position++] = 0;
        position += Encoding.UTF8.GetBytes(address.Column, destination[position..]);
        destination[position++] = 0;
        address.RowId.TryWriteBytes(destination[position..], bigEndian: true, out _);
    }

    /// <summary>One version's unwrapped keys. An <see cref="AesGcm"/> per thread: instances are not thread-safe.</summary>
    private sealed class DataKey
    {
        private readonly ThreadLocal<AesGcm> _aes;

        // HMACSHA256.HashData sets the key up on every call; an instance per thread does it once.
        private readonly ThreadLocal<HMACSHA256> _hmac;

        public DataKey(int version, byte[] key, byte[] indexKey)
        {
            if (key.Length != 32 || indexKey.Length != 32)
            {
                throw new InvalidOperationException($"Key version {version} does not unwrap to 256-bit keys.");
            }

            Version = version;
            _aes = new ThreadLocal<AesGcm>(() => new AesGcm(key, TagSize));
            _hmac = new ThreadLocal<HMACSHA256>(() => new HMACSHA256(indexKey));
        }

        public int Version { get; }

        public AesGcm Aes => _aes.Value!;

        public byte[] BlindIndex(string purpose, string normalised)
        {
            Span<byte> input = stackalloc byte[Encoding.UTF8.GetByteCount(purpose) + 1 + Encoding.UTF8.GetByteCount(normalised)];
            var position = Encoding.UTF8.GetBytes(purpose, input);
            input[position++] = 0;
            Encoding.UTF8.GetBytes(normalised, input[position..]);
            var index = new byte[HMACSHA256.HashSizeInBytes];
            _hmac.Value!.TryComputeHash(input, index, out _);
            return index;
        }
    }
}
