namespace WoningPas.Data.Encryption;

/// <summary>
/// The key-encryption key: wraps and unwraps data keys. The production implementation keeps it inside a PKCS#11
/// token; the file implementation exists for Development only. Two implementations, hence the interface.
/// </summary>
public interface IKeyEncryptionKey
{
    /// <summary>Which KEK this is (provider, token, label), stored next to every key it wraps. Not a secret.</summary>
    string Id { get; }

    byte[] Wrap(ReadOnlySpan<byte> key);

    byte[] Unwrap(ReadOnlySpan<byte> wrapped);
}

public static class KeyEncryptionKeys
{
    /// <summary>The KEK the settings describe; refuses settings that are not allowed in this environment.</summary>
    public static IKeyEncryptionKey Create(EncryptionSettings settings, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Problems(environmentName);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return settings.Provider == EncryptionSettings.FileProvider
            ? new FileKeyEncryptionKey(settings.DevelopmentKeyFile!)
            : new Pkcs11KeyEncryptionKey(settings.Pkcs11);
    }
}
