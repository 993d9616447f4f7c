namespace WoningPas.Data.People;

/// <summary>A natural person known to WoningPas: a holder of a real right on a dwelling.</summary>
public sealed class Person
{
    public Guid Id { get; init; }

    /// <summary>
    /// The national register number, 11 digits. Personal data: never logged, never put in a URL or a shared cache key.
    /// </summary>
    public required string Insz { get; init; }

    public required string DisplayName { get; set; }
}
