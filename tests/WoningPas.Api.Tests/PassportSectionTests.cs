using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WoningPas.Data.Demo;
using WoningPas.Simulators.FloodScores;
using WoningPas.Simulators.Permits;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The passport's sections on the demo dossiers, on the fixed test day 2026-11-23. Each expectation follows from a
/// rule of DOMAIN.md applied to the seeded data.
/// </summary>
public sealed class PassportSectionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<JsonElement> SectionsAsync(string persona, Guid dwellingId)
    {
        using var client = await api.SignedInClientAsync(persona);
        var passport = await client.GetFromJsonAsync<JsonElement>(
            new Uri($"/api/dwellings/{dwellingId}/passport", UriKind.Relative), TestContext.Current.CancellationToken);
        return passport.GetProperty("sections");
    }

    [Fact]
    public async Task Every_section_is_present_with_a_status()
    {
        var sections = await SectionsAsync("citizen-a", DemoData.GentHouseId);

        var names = sections.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["epc", "renovation", "asbestos", "soil", "flood", "permits", "conformity", "installations", "documents"], names);
        Assert.All(sections.EnumerateObject(), section =>
            Assert.Contains(section.Value.GetProperty("status").GetString(),
                new[] { "valid", "expiring", "expired", "missing", "notRequired" }));
    }

    [Fact]
    public async Task Renovation_obligation_runs_for_a_2023_deed_with_label_E()
    {
        var renovation = (await SectionsAsync("citizen-a", DemoData.GentHouseId)).GetProperty("renovation");

        // DOMAIN.md: deed from 2023-01-01, label E or F -> reach D within 5 years of the deed (2023-06-15).
        Assert.Equal("pending", renovation.GetProperty("obligation").GetString());
        Assert.Equal("2028-06-15", renovation.GetProperty("deadline").GetString());
        Assert.Equal("E", renovation.GetProperty("labelAtDeed").GetString());
    }

    [Fact]
    public async Task Asbestos_certificate_with_high_risk_materials_is_valid_five_years()
    {
        var asbestos = (await SectionsAsync("citizen-a", DemoData.GentHouseId)).GetProperty("asbestos");

        // DOMAIN.md: 5 years when non-asbestos-safe materials with a high risk were found (issued 2023-05-02).
        Assert.Equal("2028-05-02", asbestos.GetProperty("validUntil").GetString());
        Assert.Equal("valid", asbestos.GetProperty("status").GetString());
        Assert.Equal("wasteAgency", asbestos.GetProperty("source").GetProperty("agency").GetString());
        Assert.Equal("ASB-2023-000451", asbestos.GetProperty("source").GetProperty("reference").GetString());
    }

    [Fact]
    public async Task Missing_asbestos_certificate_of_a_building_from_before_2001_is_reported_missing()
    {
        var asbestos = (await SectionsAsync("citizen-a", DemoData.AntwerpenApartmentId)).GetProperty("asbestos");

        // DOMAIN.md: required at sale for buildings built before 2001 (this one: 1995).
        Assert.Equal("missing", asbestos.GetProperty("status").GetString());
        Assert.True(asbestos.GetProperty("requiredAtSale").GetBoolean());
    }

    [Fact]
    public async Task Conformity_certificate_after_an_investigation_with_defects_expired_after_five_years()
    {
        var conformity = (await SectionsAsync("citizen-a", DemoData.AntwerpenApartmentId)).GetProperty("conformity");

        Assert.Equal("2022-01-10", conformity.GetProperty("validUntil").GetString());
        Assert.Equal("expired", conformity.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Epc_that_ends_within_90_days_is_expiring()
    {
        var epc = (await SectionsAsync("citizen-b", DemoData.LeuvenHouseId)).GetProperty("epc");

        Assert.Equal("2026-12-20", epc.GetProperty("validUntil").GetString());
        Assert.Equal("expiring", epc.GetProperty("status").GetString());
        Assert.Equal("B", epc.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Parcel_sections_list_soil_flood_and_permits_per_capakey()
    {
        var sections = await SectionsAsync("citizen-a", DemoData.GentHouseId);

        var soil = Assert.Single(sections.GetProperty("soil").GetProperty("certificates").EnumerateArray());
        Assert.Equal("44021A0123/00B000", soil.GetProperty("capaKey").GetString());
        // Flood scores and permits live at their registries: the simulators derive them from the CaPaKey.
        var expectedFlood = FloodScoresRegistry.For("44021A0123/00B000");
        var flood = Assert.Single(sections.GetProperty("flood").GetProperty("scores").EnumerateArray());
        Assert.Equal(expectedFlood.ParcelScore, flood.GetProperty("parcelScore").GetString());
        Assert.Equal(expectedFlood.BuildingScore, flood.GetProperty("buildingScore").GetString());
        Assert.Equal(expectedFlood.Reference, flood.GetProperty("source").GetProperty("reference").GetString());
        Assert.Equal("fresh", sections.GetProperty("flood").GetProperty("freshness").GetProperty("state").GetString());
        var expectedPermits = PermitsRegistry.For("44021A0123/00B000").Permits.Select(p => p.Reference);
        var permits = sections.GetProperty("permits").GetProperty("permits").EnumerateArray()
            .Select(p => p.GetProperty("source").GetProperty("reference").GetString());
        Assert.Equal(expectedPermits, permits);
    }

    [Fact]
    public async Task An_overdue_installation_inspection_makes_the_installations_section_expired()
    {
        var installations = (await SectionsAsync("citizen-a", DemoData.GentHouseId)).GetProperty("installations");

        Assert.Equal("expired", installations.GetProperty("status").GetString());
        Assert.Equal(2, installations.GetProperty("installations").GetArrayLength());
    }

    [Fact]
    public async Task One_section_can_be_read_alone_and_is_logged_as_a_section_read()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var response = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DwellingEndpointTests.AssertNoStore(response);
        var epc = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("E", epc.GetProperty("label").GetString());
    }

    [Fact]
    public async Task An_unknown_section_name_is_a_404_that_lists_the_sections()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var response = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/cellar", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("renovation", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_section_of_someone_elses_dwelling_is_not_found()
    {
        using var client = await api.SignedInClientAsync("citizen-b");

        var response = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Reminders_list_what_expires_within_90_days_or_has_expired_for_the_holders_own_dwellings()
    {
        using var client = await api.SignedInClientAsync("citizen-b");

        var body = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/me/reminders", UriKind.Relative),
            TestContext.Current.CancellationToken);

        var reminder = Assert.Single(body.GetProperty("reminders").EnumerateArray());
        Assert.Equal(DemoData.LeuvenHouseId, reminder.GetProperty("dwellingId").GetGuid());
        Assert.Equal("epc", reminder.GetProperty("section").GetString());
        Assert.Equal(27, reminder.GetProperty("daysLeft").GetInt32());
        // DOMAIN.md: reminders 90 and 30 days before expiry; 27 days left is past the 30-day threshold.
        Assert.Equal(30, reminder.GetProperty("thresholdDays").GetInt32());
    }

    [Fact]
    public async Task Reminders_of_citizen_a_include_the_expired_conformity_certificate_and_the_overdue_inspection()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var body = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/me/reminders", UriKind.Relative),
            TestContext.Current.CancellationToken);

        var sections = body.GetProperty("reminders").EnumerateArray().Select(r => r.GetProperty("section").GetString()).ToList();
        Assert.Equal(["conformity", "installations"], sections);
    }
}
