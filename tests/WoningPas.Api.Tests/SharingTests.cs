using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Sharing;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class SharingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri GentShares = new($"/api/dwellings/{DemoData.GentHouseId}/shares", UriKind.Relative);
    private static readonly Uri SharedPassport = new("/api/shared/passport", UriKind.Relative);

    [Fact]
    public async Task A_link_share_works_until_it_is_revoked_and_its_use_shows_in_the_holders_list()
    {
        using var holder = await HolderAsync(api);
        var created = await CreateAsync(holder, """{"sections":["epc","soil"],"link":true,"expiresOn":"2027-03-01"}""");
        var token = created.GetProperty("linkToken").GetString()!;
        var shareId = created.GetProperty("share").GetProperty("id").GetGuid();
        Assert.Equal($"/gedeeld#share={token}", created.GetProperty("linkUrl").GetString());
        Assert.Equal(43, token.Length);

        using var link = LinkClient(api, token);
        var passport = await link.GetFromJsonAsync<JsonElement>(SharedPassport, TestContext.Current.CancellationToken);
        Assert.Equal(DemoData.GentHouseId, passport.GetProperty("dwellingId").GetGuid());
        Assert.Equal(["epc", "soil"], passport.GetProperty("sections").EnumerateObject().Select(p => p.Name));

        var list = await holder.GetFromJsonAsync<JsonElement>(GentShares, TestContext.Current.CancellationToken);
        var share = list.GetProperty("shares").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == shareId);
        Assert.Equal("active", share.GetProperty("status").GetString());
        Assert.Equal(1, share.GetProperty("usage").GetProperty("count").GetInt32());
        Assert.Equal("link", share.GetProperty("usage").GetProperty("recent")[0].GetProperty("by").GetString());

        var revoke = await holder.DeleteAsync(new Uri($"{GentShares}/{shareId}", UriKind.Relative),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var afterRevocation = await link.GetAsync(SharedPassport, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation.StatusCode);
        var listed = await holder.GetFromJsonAsync<JsonElement>(GentShares, TestContext.Current.CancellationToken);
        Assert.Equal("revoked", listed.GetProperty("shares").EnumerateArray()
            .Single(s => s.GetProperty("id").GetGuid() == shareId).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_database_keeps_only_the_hash_of_a_link_token()
    {
        using var holder = await HolderAsync(api);
        var created = await CreateAsync(holder, """{"sections":["flood"],"link":true,"expiresOn":"2027-01-01"}""");
        var token = created.GetProperty("linkToken").GetString()!;

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM dwelling_shares WHERE dwelling_shares::text LIKE '%' || $1 || '%'", connection)
        {
            Parameters = { new() { Value = token } },
        };
        Assert.Equal(0L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        var hash = ShareLinks.Hash(token);
        Assert.True(await db.DwellingShares.AnyAsync(s => s.TokenHash == hash, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_person_whose_verified_email_received_a_share_reads_only_its_sections()
    {
        using var notary = await api.SignedInClientAsync("notary");

        var received = await notary.GetFromJsonAsync<JsonElement>(new Uri("/api/shares/received", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var epc = await notary.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var permits = await notary.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/permits", UriKind.Relative),
            TestContext.Current.CancellationToken);

        var share = Assert.Single(received.GetProperty("shares").EnumerateArray());
        Assert.Equal(DemoData.GentHouseId, share.GetProperty("dwellingId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, epc.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, permits.StatusCode);
    }

    [Theory]
    [InlineData("""{"sections":[],"link":true,"expiresOn":"2027-01-01"}""", "sections")]
    [InlineData("""{"sections":["kitchen"],"link":true,"expiresOn":"2027-01-01"}""", "sections")]
    [InlineData("""{"sections":["epc"],"expiresOn":"2027-01-01"}""", "recipientEmail")]
    [InlineData("""{"sections":["epc"],"link":true,"recipientEmail":"a@b.example","expiresOn":"2027-01-01"}""", "recipientEmail")]
    [InlineData("""{"sections":["epc"],"recipientEmail":"not an address","expiresOn":"2027-01-01"}""", "recipientEmail")]
    [InlineData("""{"sections":["epc"],"link":true,"expiresOn":"2027-11-24"}""", "expiresOn")]
    [InlineData("""{"sections":["epc"],"link":true,"expiresOn":"2026-11-22"}""", "expiresOn")]
    [InlineData("""{"sections":["epc"],"link":true,"expiresOn":"next week"}""", "expiresOn")]
    [InlineData("""{"sections":["epc"],"link":true,"expiresOn":"2027-01-01","owner":"me"}""", "owner")]
    [InlineData("""{"sections":["epc"],"link":"yes","expiresOn":"2027-01-01"}""", "link")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""{"sections":""", "body")]
    public async Task An_invalid_share_request_names_the_field_and_writes_nothing(string json, string field)
    {
        using var holder = await HolderAsync(api);
        var before = await ShareCountAsync();

        using var content = Json(json);

        var response = await holder.PostAsync(GentShares, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await ShareCountAsync());
    }

    [Fact]
    public async Task A_share_one_year_ahead_is_accepted_and_an_email_is_stored_in_lower_case()
    {
        using var holder = await HolderAsync(api);

        var created = await CreateAsync(holder,
            """{"sections":["epc","epc","permits"],"recipientEmail":"Koper@Voorbeeld.Example","expiresOn":"2027-11-23"}""");

        var share = created.GetProperty("share");
        Assert.Equal("koper@voorbeeld.example", share.GetProperty("recipientEmail").GetString());
        Assert.Equal(["epc", "permits"], share.GetProperty("sections").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("linkToken").ValueKind);
    }

    [Fact]
    public async Task A_cookie_call_that_changes_something_needs_the_anti_forgery_header()
    {
        using var holder = await api.SignedInClientAsync("citizen-a");
        using var content = Json("""{"sections":["epc"],"link":true,"expiresOn":"2027-01-01"}""");

        var response = await holder.PostAsync(GentShares, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.CsrfHeaderMissing, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        using var holder = await HolderAsync(api);
        var huge = """{"sections":["epc"],"link":true,"expiresOn":"2027-01-01","padding":""" + "\"" + new string('x', 20_000) + "\"}";

        using var content = Json(huge);

        var response = await holder.PostAsync(GentShares, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.TooLarge, problem.GetProperty("type").GetString());
    }

    internal static async Task<HttpClient> HolderAsync(ApiFactory factory)
    {
        var client = await factory.SignedInClientAsync("citizen-a");
        client.DefaultRequestHeaders.Add(CsrfHeaderCheck.HeaderName, "1");
        return client;
    }

    internal static HttpClient LinkClient(ApiFactory factory, string token)
    {
        var client = factory.AnonymousClient();
        client.DefaultRequestHeaders.Add(ShareLinks.HeaderName, token);
        return client;
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient holder, string json)
    {
        using var content = Json(json);
        var response = await holder.PostAsync(GentShares, content, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<int> ShareCountAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return await db.DwellingShares.CountAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>Its own fixture: the clock moves forward here and cannot move back.</summary>
public sealed class ShareExpiryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri SharedPassport = new("/api/shared/passport", UriKind.Relative);

    [Fact]
    public async Task A_share_stops_working_the_day_after_it_expires()
    {
        using var holder = await SharingTests.HolderAsync(api);
        var today = DateOnly.FromDateTime(api.Time.GetUtcNow().UtcDateTime);
        var created = await SharingTests.CreateAsync(holder,
            $$"""{"sections":["epc"],"link":true,"expiresOn":"{{today.AddDays(2):yyyy-MM-dd}}"}""");
        using var link = SharingTests.LinkClient(api, created.GetProperty("linkToken").GetString()!);

        var before = await link.GetAsync(SharedPassport, TestContext.Current.CancellationToken);
        api.Time.Advance(TimeSpan.FromDays(3));
        var after = await link.GetAsync(SharedPassport, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
