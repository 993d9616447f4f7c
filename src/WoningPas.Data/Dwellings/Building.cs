namespace WoningPas.Data.Dwellings;

/// <summary>A building on one or more parcels, holding one dwelling (a house) or several (apartments).</summary>
public sealed class Building
{
    public Guid Id { get; init; }

    /// <summary>Year of construction when known: decides whether an asbestos certificate is required at sale.</summary>
    public int? ConstructionYear { get; set; }

    /// <summary>The renovation obligation and the residential EPC bands apply to residential buildings only.</summary>
    public bool IsResidential { get; set; } = true;

    public List<Parcel> Parcels { get; init; } = [];
}
