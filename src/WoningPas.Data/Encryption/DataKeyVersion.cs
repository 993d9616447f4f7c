namespace WoningPas.Data.Encryption;

/// <summary>
/// One version of the data keys: an AES-256 key for values and an HMAC-SHA256 key for blind indexes, both stored
/// only wrapped by the key-encryption key. Table <c>data_keys</c>.
/// </summary>
public sealed class DataKeyVersion
{
    public int Version { get; init; }

    public DataKeyState State { get; set; }

    /// <summary>Which key-encryption key wrapped the keys (<see cref="IKeyEncryptionKey.Id"/>).</summary>
    public required string WrappedBy { get; init; }

    /// <summary>Null once destroyed: values under this version can then never be read again (crypto-shredding).</summary>
    public byte[]? WrappedDataKey { get; set; }

    public byte[]? WrappedIndexKey { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RetiredAt { get; set; }

    public DateTimeOffset? DestroyedAt { get; set; }
}

public enum DataKeyState
{
    /// <summary>Encrypts every new value. Exactly one version is active.</summary>
    Active,

    /// <summary>Replaced by a newer version; rotation is still moving values off it.</summary>
    Retiring,

    /// <summary>No value was left under it when rotation finished; it may be destroyed.</summary>
    Retired,

    /// <summary>Its wrapped keys are gone: whatever it encrypted is unreadable for good.</summary>
    Destroyed,
}
