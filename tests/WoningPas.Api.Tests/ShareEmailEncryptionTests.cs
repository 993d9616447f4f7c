using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Data.Sharing;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>A share's recipient e-mail at rest: AES-GCM bound to the row, found through its own keyed blind index.</summary>
public sealed class ShareEmailEncryptionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Uri Received = new("/api/shares/received", UriKind.Relative);

    [Fact]
    public async Task The_database_holds_ciphertext_and_an_index_of_its_own_not_the_address()
    {
        using var holder = await SharingTests.HolderAsync(api);
        var created = await SharingTests.CreateAsync(holder,
            """{"sections":["epc"],"recipientEmail":"Makelaar.Vermeulen@Kantoor.Example","expiresOn":"2027-01-01"}""");
        var shareId = created.GetProperty("share").GetProperty("id").GetGuid();

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(
            "SELECT recipient_email, recipient_email_index, dwelling_shares::text FROM dwelling_shares WHERE id = $1", connection)
        {
            Parameters = { new() { Value = shareId } },
        };
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        Assert.True(await reader.ReadAsync(Cancel));
        var stored = reader.GetFieldValue<byte[]>(0);
        var index = reader.GetFieldValue<byte[]>(1);
        var row = reader.GetString(2);

        Assert.Equal(KeyRing.Format, stored[0]);
        Assert.Equal(KeyRing.Overhead + "makelaar.vermeulen@kantoor.example".Length, stored.Length);
        foreach (var part in new[] { "makelaar", "vermeulen", "kantoor", "Makelaar" })
        {
            Assert.DoesNotContain(part, Encoding.Latin1.GetString(stored), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(part, row, StringComparison.OrdinalIgnoreCase);
        }

        var ring = await KeyRing.LoadAsync(api.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        var share = new DwellingShare { Id = shareId, Sections = ["epc"], EncryptedRecipientEmail = stored };
        Assert.Equal("makelaar.vermeulen@kantoor.example", ring.RecipientEmail(share));
        Assert.Equal(ring.BlindIndex(ShareFields.RecipientEmailIndexPurpose, "makelaar.vermeulen@kantoor.example"), index);
        // Its own purpose: the same text under the INSZ index's purpose gives another HMAC.
        Assert.NotEqual(ring.BlindIndex(PersonFields.InszIndexPurpose, "makelaar.vermeulen@kantoor.example"), index);
        // Bound to its row: the same bytes under another share's id do not decrypt.
        Assert.Throws<FieldDecryptionException>(() => ring.RecipientEmail(
            new DwellingShare { Id = DemoData.NotaryShareId, Sections = ["epc"], EncryptedRecipientEmail = stored }));
        // The holder still sees the address in the list of shares.
        var listed = await holder.GetFromJsonAsync<JsonElement>(
            new Uri($"/api/dwellings/{DemoData.GentHouseId}/shares", UriKind.Relative), Cancel);
        Assert.Equal("makelaar.vermeulen@kantoor.example", listed.GetProperty("shares").EnumerateArray()
            .Single(s => s.GetProperty("id").GetGuid() == shareId).GetProperty("recipientEmail").GetString());
    }

    [Fact]
    public async Task The_recipient_is_matched_by_email_in_any_case_and_another_address_is_not()
    {
        using var holder = await SharingTests.HolderAsync(api);
        using var notary = await api.SignedInClientAsync("notary");
        var apartmentEpc = new Uri($"/api/dwellings/{DemoData.AntwerpenApartmentId}/passport/epc", UriKind.Relative);
        await CreateAsync(holder, DemoData.AntwerpenApartmentId, "nora.claes@notaris.example.other");
        await CreateAsync(holder, DemoData.AntwerpenApartmentId, "andere.notaris@notaris.example");

        Assert.DoesNotContain(DemoData.AntwerpenApartmentId, await ReceivedDwellingsAsync(notary));
        Assert.Equal(HttpStatusCode.NotFound, (await notary.GetAsync(apartmentEpc, Cancel)).StatusCode);

        await CreateAsync(holder, DemoData.AntwerpenApartmentId, "Nora.CLAES@Notaris.Example");

        Assert.Contains(DemoData.AntwerpenApartmentId, await ReceivedDwellingsAsync(notary));
        Assert.Equal(HttpStatusCode.OK, (await notary.GetAsync(apartmentEpc, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Shares_stored_in_clear_before_encryption_are_encrypted_and_indexed_by_the_migrate_step()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        await using (var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString)))
        {
            await db.DwellingShares.ExecuteDeleteAsync(Cancel);
            // Back to the schema just before this feature, where sharing by e-mail already existed with a text column.
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.IndexOf("20261124090000_ShareEmailEncryptionPlaintextAsBytes") - 1];
            await db.GetService<IMigrator>().MigrateAsync(before, cancellationToken: Cancel);
        }

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO dwelling_shares (id, dwelling_id, created_by, created_at, sections, recipient_email, expires_on)
                VALUES ($1, $2, $3, now(), ARRAY['epc'], 'nora.claes@notaris.example', DATE '2027-06-30')
                """, connection)
            {
                Parameters = { new() { Value = DemoData.NotaryShareId }, new() { Value = DemoData.GentHouseId }, new() { Value = DemoData.CitizenAId } },
            };
            await insert.ExecuteNonQueryAsync(Cancel);
        }

        var ring = await DatabaseSetup.MigrateAsync(database.ConnectionString, TestKeys.Kek, seedDemoData: false, Cancel);

        await using var after = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        var indexes = ring.RecipientIndexes(" Nora.Claes@notaris.example ");
        var share = await after.DwellingShares.AsNoTracking().SingleAsync(s => indexes.Contains(s.RecipientEmailIndex!), Cancel);
        Assert.Equal(DemoData.NotaryShareId, share.Id);
        Assert.Equal(ring.ActiveVersion, KeyRing.VersionOf(share.EncryptedRecipientEmail));
        Assert.Equal(DemoData.NotaryEmail, ring.RecipientEmail(share));
        Assert.DoesNotContain(await ReEncryption.CountAsync(database.ConnectionString, Cancel), c => c.Version == 0);
    }

    private static async Task CreateAsync(HttpClient holder, Guid dwellingId, string email)
    {
        using var content = new StringContent(
            $$"""{"sections":["epc"],"recipientEmail":"{{email}}","expiresOn":"2027-01-01"}""", Encoding.UTF8, "application/json");
        var response = await holder.PostAsync(new Uri($"/api/dwellings/{dwellingId}/shares", UriKind.Relative), content, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<List<Guid>> ReceivedDwellingsAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(Received, Cancel)).GetProperty("shares").EnumerateArray()
            .Select(s => s.GetProperty("dwellingId").GetGuid())];
}
