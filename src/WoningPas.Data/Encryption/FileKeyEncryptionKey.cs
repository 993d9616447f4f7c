using System.Security.Cryptography;

namespace WoningPas.Data.Encryption;

/// <summary>
/// Development only (refused elsewhere by <see cref="EncryptionSettings.Problems"/>): a 256-bit KEK in a file, so that
/// the product runs where no PKCS#11 module is installed. Wrapped keys are AES-256-GCM: nonce, tag, ciphertext.
/// </summary>
internal sealed class FileKeyEncryptionKey : IKeyEncryptionKey
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] AssociatedData = "woningpas/file-kek/v1"u8.ToArray();
    private readonly byte[] _key;

    public FileKeyEncryptionKey(string path)
    {
        Id = "file:" + Path.GetFileName(path);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        _key = File.ReadAllBytes(path);
        if (_key.Length != 32)
        {
            throw new InvalidOperationException($"Encryption:DevelopmentKeyFile {path} must hold exactly 32 bytes.");
        }
    }

    public string Id { get; }

    public byte[] Wrap(ReadOnlySpan<byte> key)
    {
        var wrapped = new byte[NonceSize + TagSize + key.Length];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, key, wrapped.AsSpan(NonceSize + TagSize), wrapped.AsSpan(NonceSize, TagSize), AssociatedData);
        return wrapped;
    }

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length <= NonceSize + TagSize)
        {
            throw new CryptographicException("The wrapped key is too short.");
        }

        var key = new byte[wrapped.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(wrapped[..NonceSize], wrapped[(NonceSize + TagSize)..], wrapped.Slice(NonceSize, TagSize), key, AssociatedData);
        return key;
    }
}
