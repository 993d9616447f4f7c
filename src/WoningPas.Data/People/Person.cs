namespace WoningPas.Data.People;

/// <summary>
/// A natural person known to WoningPas: a holder of a real right on a dwelling. Personal fields are stored only
/// encrypted (see <see cref="PersonFields"/> and docs/encryption.md); read and write them through
/// <see cref="PersonFields"/>.
/// </summary>
public sealed class Person
{
    public Guid Id { get; init; }

    /// <summary>
    /// The national register number (11 digits), encrypted and bound to this row. Personal data: never logged, never
    /// put in a URL or a shared cache key.
    /// </summary>
    public required byte[] EncryptedInsz { get; init; }

    /// <summary>Keyed blind index of the INSZ, the only way to find a person by number.</summary>
    public required byte[] InszIndex { get; init; }

    public required byte[] EncryptedDisplayName { get; init; }
}
