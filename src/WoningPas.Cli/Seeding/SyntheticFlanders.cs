using System.Globalization;
using WoningPas.Domain;

namespace WoningPas.Cli.Seeding;

/// <summary>
/// The shape of a deterministic synthetic Flanders with a given number of dwellings: which dwellings share a building
/// (apartments), which buildings stand on two parcels, who holds which right. Only the layout lives in memory (a few
/// integers per dwelling); every row's content is derived from (seed, index) when it is written.
/// </summary>
internal sealed class SyntheticFlanders
{
    // Real divisions, postal codes and names, so that addresses and CaPaKeys look like Flanders.
    private static readonly (string Nis, string Postal, string Name)[] Municipalities =
    [
        ("11002", "2000", "Antwerpen"), ("44021", "9000", "Gent"), ("24062", "3000", "Leuven"),
        ("31005", "8000", "Brugge"), ("71016", "3600", "Genk"), ("12025", "2800", "Mechelen"),
        ("34022", "8500", "Kortrijk"), ("41002", "9300", "Aalst"), ("13040", "2300", "Turnhout"),
        ("35013", "8400", "Oostende"), ("23088", "1800", "Vilvoorde"), ("46021", "9100", "Sint-Niklaas"),
    ];

    private static readonly string[] Streets =
    [
        "Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Schoolstraat", "Nieuwstraat", "Kapelstraat",
        "Beekstraat", "Veldstraat", "Hoogstraat", "Lindenlaan", "Kastanjelaan", "Groenstraat", "Bosstraat", "Meersstraat",
    ];

    private static readonly string[] GivenNames = ["An", "Bram", "Chris", "Dries", "Els", "Fien", "Geert", "Hanne", "Jan", "Lien", "Marc", "Nele", "Pieter", "Sofie", "Tom", "Wout"];

    private static readonly string[] FamilyNames = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois", "Hermans", "Aerts", "Lambrechts", "Vermeulen"];

    public SyntheticFlanders(int dwellings, long seed)
    {
        Dwellings = dwellings;
        Seed = seed;
        BuildingOfDwelling = new int[dwellings];
        var firstDwelling = new List<int>();
        var firstParcel = new List<int>();
        var parcels = 0;
        for (var dwelling = 0; dwelling < dwellings;)
        {
            var building = firstDwelling.Count;
            var dice = new Dice(seed, 1, building);
            // About 30 % of dwellings are apartments in buildings of 4 to 20 units.
            var units = dice.Chance(0.04) ? 4 + dice.Below(17) : 1;
            units = Math.Min(units, dwellings - dwelling);
            firstDwelling.Add(dwelling);
            firstParcel.Add(parcels);
            parcels += dice.Chance(0.05) ? 2 : 1;
            for (var unit = 0; unit < units; unit++)
            {
                BuildingOfDwelling[dwelling++] = building;
            }
        }

        FirstDwellingOfBuilding = [.. firstDwelling, dwellings];
        FirstParcelOfBuilding = [.. firstParcel, parcels];
        // About 1.2 rights per dwelling; some people hold rights on several dwellings.
        People = Math.Max(2, (int)(dwellings * 1.02));
    }

    public int Dwellings { get; }
    public long Seed { get; }
    public int People { get; }
    public int Buildings => FirstDwellingOfBuilding.Length - 1;
    public int Parcels => FirstParcelOfBuilding[^1];

    /// <summary>Index of the building of each dwelling.</summary>
    public int[] BuildingOfDwelling { get; }

    /// <summary>First dwelling of each building, plus one end marker.</summary>
    public int[] FirstDwellingOfBuilding { get; }

    /// <summary>First parcel of each building, plus one end marker.</summary>
    public int[] FirstParcelOfBuilding { get; }

    public bool IsApartment(int dwelling)
    {
        var building = BuildingOfDwelling[dwelling];
        return FirstDwellingOfBuilding[building + 1] - FirstDwellingOfBuilding[building] > 1;
    }

    public int ParcelOfDwelling(int dwelling) => FirstParcelOfBuilding[BuildingOfDwelling[dwelling]];

    /// <summary>Holders of a dwelling: one owner (80 %) or two co-owners with half each.</summary>
    public (int Person, decimal Share)[] Holders(int dwelling)
    {
        var dice = new Dice(Seed, 2, dwelling);
        var first = dice.Below(People);
        if (!dice.Chance(0.2))
        {
            return [(first, 1m)];
        }

        var second = (first + 1 + dice.Below(People - 1)) % People;
        return [(first, 0.5m), (second, 0.5m)];
    }

    /// <summary>
    /// A valid, unique INSZ per person: birth date and sequence number follow from the index, the check digits from
    /// the rule (over "2" + 9 digits for people born from 2000).
    /// </summary>
    public static string Insz(int person)
    {
        var birth = new DateOnly(1930, 1, 1).AddDays(person / 997 % 27_000);
        var sequence = person % 997 + 1;
        var nine = string.Create(CultureInfo.InvariantCulture, $"{birth:yyMMdd}{sequence:D3}");
        var number = long.Parse((birth.Year >= 2000 ? "2" : "") + nine, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{nine}{97 - number % 97:D2}");
    }

    public string PersonName(int person)
    {
        var dice = new Dice(Seed, 3, person);
        return $"{GivenNames[dice.Below(GivenNames.Length)]} {FamilyNames[dice.Below(FamilyNames.Length)]}";
    }

    /// <summary>A unique CaPaKey per parcel: division from the municipality list, then section, root number.</summary>
    public static string CaPaKey(int parcel)
    {
        var root = parcel % 9999 + 1;
        var section = (char)('A' + parcel / 9999 % 26);
        var division = 10000 + parcel / (9999 * 26);
        return string.Create(CultureInfo.InvariantCulture, $"{division:D5}{section}{root:D4}/00_000");
    }

    public (string Street, string HouseNumber, string? Box, (string Nis, string Postal, string Name) Municipality) Address(int dwelling)
    {
        var building = BuildingOfDwelling[dwelling];
        var dice = new Dice(Seed, 4, building);
        var municipality = Municipalities[dice.Below(Municipalities.Length)];
        var street = Streets[dice.Below(Streets.Length)];
        var number = (building % 400 + 1).ToString(CultureInfo.InvariantCulture);
        // Apartments share street and number and differ by box number.
        var box = IsApartment(dwelling)
            ? (dwelling - FirstDwellingOfBuilding[building] + 1).ToString(CultureInfo.InvariantCulture)
            : null;
        return (street, number, box, municipality);
    }

    public int ConstructionYear(int building) => 1850 + new Dice(Seed, 5, building).Below(176);

    /// <summary>
    /// Primary energy use with the spread of the Flemish stock: few A+/A, most between C and F.
    /// </summary>
    public decimal PrimaryEnergyUse(ref Dice dice)
    {
        var roll = dice.Below(100);
        return roll switch
        {
            < 1 => dice.Between(-50m, -0.1m),
            < 7 => dice.Between(0m, 100m),
            < 21 => dice.Between(100.1m, 200m),
            < 41 => dice.Between(200.1m, 300m),
            < 61 => dice.Between(300.1m, 400m),
            < 78 => dice.Between(400.1m, 500m),
            _ => dice.Between(500.1m, 900m),
        };
    }

    public static EnergyLabel Label(decimal primaryEnergyUse) => EnergyLabels.FromPrimaryEnergyUse(primaryEnergyUse);
}
