namespace WoningPas.Web.Localization;

/// <summary>A text in both languages.</summary>
public sealed record Bilingual(string Dutch, string English)
{
    public string In(SiteLanguage language) => language.Pick(Dutch, English);
}

/// <summary>
/// What one passport section holds and the rules behind it (DOMAIN.md "Passport sections"): the public explanation
/// the guide pages show. <see cref="ApiKey"/> is the section's name in the Api's passport.
/// </summary>
public sealed record SectionGuide(
    string ApiKey,
    string DutchSlug,
    string EnglishSlug,
    Bilingual Title,
    Bilingual Source,
    Bilingual Summary,
    IReadOnlyList<Bilingual> Rules);

public static class SectionGuides
{
    public static IReadOnlyList<SectionGuide> All { get; } =
    [
        new("epc", "epc", "epc",
            new("Energieprestatiecertificaat (EPC)", "Energy performance certificate (EPC)"),
            new("Vlaams Energie- en Klimaatagentschap", "Flemish Energy and Climate Agency"),
            new("Het EPC toont hoeveel primaire energie de woning per vierkante meter en per jaar nodig heeft, en het energielabel dat daarbij hoort.",
                "The EPC shows how much primary energy the dwelling needs per square metre and per year, and the energy label that goes with it."),
            [
                new("Het label volgt uit het primaire energieverbruik in kWh/m² per jaar: A+ onder 0, A van 0 tot 100, B van 100 tot 200, C van 200 tot 300, D van 300 tot 400, E van 400 tot 500 en F boven 500.",
                    "The label follows from the primary energy use in kWh/m² per year: A+ below 0, A from 0 to 100, B from 100 to 200, C from 200 to 300, D from 300 to 400, E from 400 to 500 and F above 500."),
                new("Een EPC is 10 jaar geldig vanaf de datum van uitreiking.",
                    "An EPC is valid for 10 years from the date it was issued."),
                new("WoningPas herinnert u 90 en 30 dagen voor het EPC verloopt.",
                    "WoningPas reminds you 90 and 30 days before the EPC expires."),
            ]),
        new("renovation", "renovatieplicht", "renovation-obligation",
            new("Renovatieplicht", "Renovation obligation"),
            new("Afgeleid uit de akte en het EPC", "Derived from the deed and the EPC"),
            new("Wie een woning koopt met een slecht energielabel, moet ze binnen een termijn renoveren.",
                "Whoever buys a dwelling with a poor energy label must renovate it within a set term."),
            [
                new("De plicht geldt voor een akte getekend vanaf 1 januari 2023 voor een residentieel gebouw met label E of F.",
                    "The obligation applies to a deed signed from 1 January 2023 for a residential building with label E or F."),
                new("Binnen 5 jaar na de datum van de akte moet de woning label D of beter halen.",
                    "Within 5 years of the date of the deed the dwelling must reach label D or better."),
                new("WoningPas toont of de plicht geldt, de uiterste datum en of ze al vervuld is.",
                    "WoningPas shows whether the obligation applies, the deadline and whether it has been met."),
            ]),
        new("asbestos", "asbestattest", "asbestos-certificate",
            new("Asbestinventarisattest", "Asbestos inventory certificate"),
            new("OVAM (Openbare Vlaamse Afvalstoffenmaatschappij)", "OVAM (Public Waste Agency of Flanders)"),
            new("Het asbestattest beschrijft welke asbesthoudende materialen in het gebouw zitten en hoe riskant ze zijn.",
                "The asbestos certificate lists the materials containing asbestos in the building and how risky they are."),
            [
                new("Sinds 23 november 2022 is het attest verplicht bij de verkoop van een gebouw van vóór 2001.",
                    "Since 23 November 2022 the certificate is required when a building from before 2001 is sold."),
                new("Het attest is 10 jaar geldig, maar 5 jaar als het materialen met een hoog risico vindt die niet asbestveilig zijn.",
                    "The certificate is valid for 10 years, but for 5 years when it finds high-risk materials that are not asbestos-safe."),
            ]),
        new("soil", "bodemattest", "soil-certificate",
            new("Bodemattest", "Soil certificate"),
            new("OVAM (Openbare Vlaamse Afvalstoffenmaatschappij)", "OVAM (Public Waste Agency of Flanders)"),
            new("Het bodemattest zegt per perceel wat bekend is over de bodem.",
                "The soil certificate states, per parcel, what is known about the soil."),
            [
                new("Er is een attest per kadastraal perceel.", "There is one certificate per cadastral parcel."),
                new("Het attest vermeldt of het perceel in het grondeninformatieregister staat, omdat er een risicoactiviteit plaatsvond.",
                    "The certificate notes whether the parcel is in the land-information register because a risk activity took place there."),
            ]),
        new("flood", "overstromingsrisico", "flood-risk",
            new("Overstromingsgevoeligheid", "Flood risk"),
            new("Departement Omgeving", "Department of Environment"),
            new("De overstromingsscores zijn openbare, informatieve gegevens over het risico op overstroming.",
                "The flood scores are public, informative data on the risk of flooding."),
            [
                new("De P-score geldt voor het perceel, de G-score voor het gebouw.",
                    "The P-score is for the parcel, the G-score for the building."),
                new("De scores lopen van A (geen risico) tot D (hoog risico).",
                    "The scores range from A (no risk) to D (high risk)."),
            ]),
        new("permits", "vergunningen", "permits",
            new("Bouw- en omgevingsvergunningen", "Building and environment permits"),
            new("De gemeente", "The municipality"),
            new("Een overzicht van de vergunningen voor de percelen van de woning.",
                "An overview of the permits for the dwelling's parcels."),
            [
                new("Per vergunning ziet u de soort, de beschrijving, de datum van aanvraag, de datum en de inhoud van de beslissing en de referentie.",
                    "For each permit you see its kind, the description, the date of the application, the date and outcome of the decision and the reference."),
            ]),
        new("conformity", "conformiteitsattest", "conformity-certificate",
            new("Woningkwaliteit en conformiteitsattest", "Housing quality and conformity certificate"),
            new("Wonen in Vlaanderen", "Housing Agency of Flanders"),
            new("Het conformiteitsattest bevestigt dat de woning voldoet aan de Vlaamse kwaliteitsnormen.",
                "The conformity certificate confirms that the dwelling meets the Flemish quality standards."),
            [
                new("Het attest is 10 jaar geldig.", "The certificate is valid for 10 years."),
                new("Na een kwaliteitsonderzoek dat gebreken vond, is het 5 jaar geldig.",
                    "When issued after a quality investigation that found defects, it is valid for 5 years."),
                new("WoningPas herinnert u 90 en 30 dagen voor het attest verloopt.",
                    "WoningPas reminds you 90 and 30 days before the certificate expires."),
            ]),
        new("installations", "installaties", "installations",
            new("Installaties", "Installations"),
            new("Vlaams Energie- en Klimaatagentschap en de eigenaar", "Flemish Energy and Climate Agency and the owner"),
            new("Verwarming, ventilatie, zonnepanelen en de elektrische keuring, met hun datums.",
                "Heating, ventilation, solar panels and the electrical inspection, with their dates."),
            [
                new("Per installatie ziet u wanneer ze geplaatst en laatst gekeurd werd en wanneer de volgende keuring nodig is.",
                    "For each installation you see when it was installed and last inspected, and when the next inspection is due."),
                new("WoningPas herinnert u 90 en 30 dagen voor een keuring nodig is.",
                    "WoningPas reminds you 90 and 30 days before an inspection is due."),
            ]),
        new("documents", "documenten", "documents",
            new("Documenten van de eigenaar", "Owner documents"),
            new("De houders van de woning", "The holders of the dwelling"),
            new("Plannen, facturen en andere documenten die u zelf aan de woningpas toevoegt.",
                "Plans, invoices and other documents you add to the passport yourself."),
            [
                new("U kunt pdf-bestanden en afbeeldingen toevoegen.", "You can add PDF files and images."),
                new("Elk bestand wordt op schadelijke inhoud gecontroleerd en nooit uitgevoerd.",
                    "Every file is checked for harmful content and never executed."),
            ]),
    ];

    public static SectionGuide? Find(string? slug, SiteLanguage language) =>
        All.FirstOrDefault(g => string.Equals(language == SiteLanguage.English ? g.EnglishSlug : g.DutchSlug, slug,
            StringComparison.Ordinal));
}
