using Microsoft.Playwright;

namespace WoningPas.EndToEnd.Tests;

/// <summary>The back office through the edge, as staff and citizens meet it, in the system's Chromium.</summary>
public sealed class StaffBackOfficeTests(BrowserStack stack) : IClassFixture<BrowserStack>
{
    private const string Gent = "d1000000-0000-4000-8000-000000000001";

    [Fact]
    public async Task A_staff_editor_finds_a_dwelling_edits_its_epc_and_the_citizens_passport_shows_the_new_value()
    {
        await using var staff = await NewContextAsync();
        var page = await staff.NewPageAsync();
        await OpenGentDossierAsync(page, "staff-energy", "Dossier 2026/E2E renovatie");
        Assert.Equal("E", (await page.Locator("#epc-titel ~ dl [data-section-field='label']").TextContentAsync())?.Trim());
        await page.GetByRole(AriaRole.Link, new() { Name = "EPC bewerken" }).ClickAsync();

        await page.GetByLabel("Primair energieverbruik (kWh/m² per jaar)").FillAsync("180");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await page.Locator("#opgeslagen").WaitForAsync();
        Assert.Equal("B", (await page.Locator("#opgeslagen [data-section-field='label']").TextContentAsync())?.Trim());

        await using var citizen = await NewContextAsync();
        var passport = await citizen.NewPageAsync();
        await Personas.SignInAsync(passport, "citizen-a", "/woningpas");
        // As PassportFeaturesTests: the first dwelling's passport loaded before another is chosen. A click while it
        // still loaded was once lost in a full run ("clicking the checkbox did not change its state").
        await passport.Locator("#passport[data-state=ready]").WaitForAsync();
        await passport.GetByRole(AriaRole.Radio, new() { Name = "Kerkstraat 12" }).CheckAsync();
        var label = passport.Locator("[data-epc-label]");
        await label.WaitForAsync();
        Assert.Equal("B", (await label.TextContentAsync())?.Trim());
    }

    [Fact]
    public async Task The_waste_agency_edits_the_asbestos_certificate_and_the_holder_reads_the_new_validity()
    {
        await using var staff = await NewContextAsync();
        var page = await staff.NewPageAsync();
        await OpenGentDossierAsync(page, "staff-waste", "Asbestdossier 2026/E2E");
        Assert.Equal("2 mei 2028", (await page.Locator("#asbestos-titel ~ dl [data-section-field='validUntil']").TextContentAsync())?.Trim());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "EPC bewerken" }).CountAsync());
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Asbestinventarisattest bewerken" }).ClickAsync();

        // A wrong date first: the error is tied to its field and the page stays accessible.
        await page.GetByLabel("Datum van uitreiking").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await page.Locator("#fouten").WaitForAsync();
        Assert.Equal("true", await page.GetByLabel("Datum van uitreiking").GetAttributeAsync("aria-invalid"));
        await AssertAccessibleAsync(page);

        await page.GetByLabel("Datum van uitreiking").FillAsync("2023-05-02");
        await page.GetByLabel("Niet-asbestveilige materialen met een hoog risico gevonden").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await page.Locator("#opgeslagen").WaitForAsync();
        Assert.Equal("2 mei 2033", (await page.Locator("#opgeslagen [data-section-field='validUntil']").TextContentAsync())?.Trim());

        await page.GetByRole(AriaRole.Link, new() { Name = "Geschiedenis" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Geschiedenis: Asbestinventarisattest" }).WaitForAsync();
        await AssertAccessibleAsync(page);

        Assert.Contains("\"validUntil\":\"2033-05-02\"", await HolderReadsGentSectionAsync("asbestos"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_waste_agency_attaches_a_pdf_to_the_asbestos_section_and_the_holder_sees_it_among_the_documents()
    {
        await using var staff = await NewContextAsync();
        var page = await staff.NewPageAsync();
        await OpenGentDossierAsync(page, "staff-waste", "Asbestdossier 2026/E2E bijlage");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bijlage toevoegen: Asbestinventarisattest" }).ClickAsync();

        // Through the edge: nginx with ModSecurity and the CRS passes the multipart form, antiforgery token first.
        await page.GetByLabel("Titel").FillAsync("Asbestattest via de rand");
        await page.GetByLabel("Bestand").SetInputFilesAsync(new FilePayload { Name = "asbestattest.pdf", MimeType = "application/pdf", Buffer = TestPdf.Clean() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Bijlage toevoegen" }).ClickAsync();
        await page.Locator("#bijlage-toegevoegd").WaitForAsync();
        Assert.Contains("Asbestattest via de rand", await page.Locator("#bijlage-toegevoegd").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("[data-attachment]", new() { HasTextString = "Asbestattest via de rand" }).CountAsync());
        await AssertAccessibleAsync(page);

        Assert.Contains("\"title\":\"Asbestattest via de rand\"", await HolderReadsGentSectionAsync("documents"), StringComparison.Ordinal);
    }

    /// <summary>Signs in as a staff persona, searches the Gent house with a purpose and opens its dossier.</summary>
    private static async Task OpenGentDossierAsync(IPage page, string persona, string purpose)
    {
        await Personas.SignInAsync(page, persona, "/staff");
        await page.GetByLabel("Adres, CaPaKey of INSZ van een houder").FillAsync("Kerkstraat 12 Gent");
        await page.GetByLabel("Doel van de opzoeking").FillAsync(purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Kerkstraat 12, 9000 Gent" }).ClickAsync();
    }

    /// <summary>The Gent house's holder signs in through the edge and reads one section of its passport (a 200's body).</summary>
    private async Task<string> HolderReadsGentSectionAsync(string section)
    {
        await using var citizen = await NewContextAsync();
        var passport = await citizen.NewPageAsync();
        await Personas.SignInAsync(passport, "citizen-a", "/woningpas");
        var response = await citizen.APIRequest.GetAsync($"/api/dwellings/{Gent}/passport/{section}");
        Assert.Equal(200, response.Status);
        return await response.TextAsync();
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    [Theory]
    [InlineData("search results")]
    [InlineData("search with errors")]
    [InlineData("dossier")]
    [InlineData("epc form with errors")]
    [InlineData("epc history")]
    [InlineData("reports queue")]
    public async Task Staff_pages_have_no_serious_or_critical_accessibility_violations(string view)
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "staff-energy", "/staff");
        switch (view)
        {
            case "search results":
                await page.GetByLabel("Adres, CaPaKey of INSZ van een houder").FillAsync("Gent");
                await page.GetByLabel("Doel van de opzoeking").FillAsync("Toegankelijkheidstest");
                await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
                await page.Locator("#resultaten-titel").WaitForAsync();
                break;
            case "search with errors":
                await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
                await page.Locator("#fouten").WaitForAsync();
                break;
            case "dossier":
                await page.GotoAsync($"/staff/dossiers/{Gent}?doel=Toegankelijkheidstest");
                break;
            case "epc form with errors":
                await page.GotoAsync($"/staff/dossiers/{Gent}/epc?doel=Toegankelijkheidstest");
                await page.GetByLabel("Primair energieverbruik (kWh/m² per jaar)").FillAsync("veel");
                await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
                await page.Locator("#fouten").WaitForAsync();
                break;
            case "epc history":
                await page.GotoAsync($"/staff/dossiers/{Gent}/epc/geschiedenis?doel=Toegankelijkheidstest");
                break;
            default:
                await page.GotoAsync("/staff/meldingen");
                break;
        }

        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal("nl-BE", await page.GetAttributeAsync("html", "lang"));
        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    private Task<IBrowserContext> NewContextAsync() =>
        stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
}
