using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class DwellingEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static Uri Passport(Guid dwellingId) => new($"/api/dwellings/{dwellingId}/passport", UriKind.Relative);

    private static readonly Uri Dwellings = new("/api/dwellings", UriKind.Relative);

    [Fact]
    public async Task Anonymous_caller_gets_401_problem_details_and_no_data()
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(Dwellings, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("https://woningpas.vlaanderen.be/problems/unauthenticated", problem.GetProperty("type").GetString());
        AssertNoStore(response);
    }

    [Fact]
    public async Task Anonymous_caller_gets_401_for_a_passport_too()
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(Passport(DemoData.GentHouseId), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertNoStore(response);
    }

    [Fact]
    public async Task Citizen_lists_exactly_the_dwellings_they_hold_a_right_on()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var response = await client.GetAsync(Dwellings, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoStore(response);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var dwellings = body.GetProperty("dwellings").EnumerateArray().ToList();
        Assert.Equal(
            new[] { DemoData.AntwerpenApartmentId, DemoData.GentHouseId }.Order(),
            dwellings.Select(d => d.GetProperty("id").GetGuid()).Order());
        var gent = dwellings.Single(d => d.GetProperty("id").GetGuid() == DemoData.GentHouseId);
        Assert.Equal("Kerkstraat 12, 9000 Gent", gent.GetProperty("address").GetString());
        Assert.Equal("owner", gent.GetProperty("right").GetString());
    }

    [Fact]
    public async Task Citizen_reads_the_passport_of_their_own_dwelling_with_its_epc()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var response = await client.GetAsync(Passport(DemoData.GentHouseId), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoStore(response);
        var passport = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(DemoData.GentHouseId, passport.GetProperty("dwellingId").GetGuid());
        Assert.Equal("Kerkstraat", passport.GetProperty("address").GetProperty("street").GetString());
        Assert.Equal(["44021A0123/00B000"],
            passport.GetProperty("building").GetProperty("capaKeys").EnumerateArray().Select(k => k.GetString()));
        var epc = passport.GetProperty("sections").GetProperty("epc");
        Assert.Equal("E", epc.GetProperty("label").GetString());
        Assert.Equal(450m, epc.GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal("2019-03-01", epc.GetProperty("issuedOn").GetString());
        // DOMAIN.md: an EPC is valid for 10 years from its issue date.
        Assert.Equal("2029-03-01", epc.GetProperty("validUntil").GetString());
        Assert.Equal("valid", epc.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_dwelling_without_an_epc_shows_the_epc_as_missing()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var passport = await client.GetFromJsonAsync<JsonElement>(Passport(DemoData.AntwerpenApartmentId),
            TestContext.Current.CancellationToken);

        var epc = passport.GetProperty("sections").GetProperty("epc");
        Assert.Equal("missing", epc.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, epc.GetProperty("label").ValueKind);
        Assert.Equal("3", passport.GetProperty("address").GetProperty("boxNumber").GetString());
    }

    [Fact]
    public async Task Another_citizens_dwelling_answers_exactly_like_an_unknown_one()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var someoneElses = await client.GetAsync(Passport(DemoData.LeuvenHouseId), TestContext.Current.CancellationToken);
        var unknown = await client.GetAsync(Passport(Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, someoneElses.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        AssertNoStore(someoneElses);
        AssertNoStore(unknown);
        var first = await someoneElses.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var second = await unknown.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        foreach (var field in new[] { "type", "title", "status", "detail" })
        {
            Assert.Equal(first.GetProperty(field).ToString(), second.GetProperty(field).ToString());
        }

        Assert.DoesNotContain("Leuven", await someoneElses.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Citizen_b_sees_only_their_own_dwelling()
    {
        using var client = await api.SignedInClientAsync("citizen-b");

        var body = await client.GetFromJsonAsync<JsonElement>(Dwellings, TestContext.Current.CancellationToken);
        var gent = await client.GetAsync(Passport(DemoData.GentHouseId), TestContext.Current.CancellationToken);

        Assert.Equal([DemoData.LeuvenHouseId],
            body.GetProperty("dwellings").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, gent.StatusCode);
    }

    [Fact]
    public async Task Staff_without_a_citizen_role_cannot_list_dwellings_and_see_only_their_agencys_sections()
    {
        using var client = await api.SignedInClientAsync("staff-energy");

        var list = await client.GetAsync(Dwellings, TestContext.Current.CancellationToken);
        var passport = await client.GetFromJsonAsync<JsonElement>(Passport(DemoData.GentHouseId),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        AssertNoStore(list);
        Assert.Equal(["epc", "installations"],
            passport.GetProperty("sections").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_malformed_dwelling_id_is_not_found_rather_than_an_error()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var response = await client.GetAsync(new Uri("/api/dwellings/not-a-guid/passport", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertNoStore(response);
    }

    internal static void AssertNoStore(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        Assert.NotNull(cacheControl);
        Assert.True(cacheControl.NoStore, $"Cache-Control was '{cacheControl}'");
        Assert.True(cacheControl.Private, $"Cache-Control was '{cacheControl}'");
    }
}
