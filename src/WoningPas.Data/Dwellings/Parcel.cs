namespace WoningPas.Data.Dwellings;

/// <summary>A cadastral parcel, identified by its CaPaKey.</summary>
public sealed class Parcel
{
    public Guid Id { get; init; }

    /// <summary>The CaPaKey in its canonical form with a slash (12345A1234/12A123).</summary>
    public required string CaPaKey { get; init; }
}
