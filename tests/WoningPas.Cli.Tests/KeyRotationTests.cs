using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Cli.Keys;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Data.Sharing;
using WoningPas.Domain;
using WoningPas.Testing;

namespace WoningPas.Cli.Tests;

/// <summary>rotate-keys, key-versions and destroy-key against real PostgreSQL and a real SoftHSM2 token.</summary>
public sealed class KeyRotationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotation_leaves_no_value_under_the_old_version_and_the_api_still_reads_everything()
    {
        await using var api = new ApiFactory();
        await api.InitializeAsync();
        var ring = await KeyRing.LoadAsync(api.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        await new Seeder(api.ConnectionString, ring, TextWriter.Null).SeedAsync(300, 7, Cancel);
        // The Api loads and caches its key ring (version 1) before the rotation.
        using (var before = await api.SignedInClientAsync("citizen-a"))
        {
            Assert.Equal(HttpStatusCode.OK, (await before.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel)).StatusCode);
        }

        var output = new StringWriter();
        var progress = new StringWriter();
        var counts = await Commands(api.ConnectionString, output, progress).RotateAsync(Cancel);

        var people = await PeopleAsync(api.ConnectionString);
        var emailShares = (await SharesAsync(api.ConnectionString)).Where(s => s.EncryptedRecipientEmail is not null).ToList();
        Assert.NotEmpty(emailShares);
        Assert.All(counts, count => Assert.Equal(2, count.Version));
        Assert.Equal((people.Count * 2L) + emailShares.Count, counts.Sum(c => c.Values));
        Assert.Equal(emailShares.Count, counts.Single(c => c.Table == ShareFields.Table).Values);
        Assert.Equal([(1, DataKeyState.Retired), (2, DataKeyState.Active)], await StatesAsync(api.ConnectionString));
        Assert.Contains("re-encrypted under key version 2", progress.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"\n\s*1\s+Retired\s+0\s", output.ToString());

        // The product still reads everything: sign-in (blind index, then decryption) and the passport.
        using var after = await api.SignedInClientAsync("citizen-a");
        var dwellings = await after.GetStringAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);
        var passport = await after.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative), Cancel);
        Assert.Contains(DemoData.GentHouseId.ToString(), dwellings, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, passport.StatusCode);
        using var citizenB = await api.SignedInClientAsync("citizen-b");
        Assert.Contains(DemoData.LeuvenHouseId.ToString(),
            await citizenB.GetStringAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel), StringComparison.Ordinal);
        // Signing in did not add anybody: both citizens were found under the new version's blind index.
        Assert.Equal(people.Count, (await PeopleAsync(api.ConnectionString)).Count);

        var rotated = await KeyRing.LoadAsync(api.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        Assert.All(people, person =>
        {
            Assert.Equal(2, KeyRing.VersionOf(person.EncryptedInsz));
            Assert.Equal(2, KeyRing.VersionOf(person.EncryptedDisplayName));
            Assert.NotEmpty(rotated.DisplayName(person));
            Assert.Equal(rotated.BlindIndex(PersonFields.InszIndexPurpose, rotated.Insz(person).Value), person.InszIndex);
        });
        Assert.All(emailShares, share =>
        {
            Assert.Equal(2, KeyRing.VersionOf(share.EncryptedRecipientEmail));
            Assert.Equal(rotated.BlindIndex(ShareFields.RecipientEmailIndexPurpose, rotated.RecipientEmail(share)!), share.RecipientEmailIndex);
        });
        // The recipient is still matched by e-mail: the index was recomputed under the new version.
        using var notary = await api.SignedInClientAsync("notary");
        Assert.Contains(DemoData.GentHouseId.ToString(),
            await notary.GetStringAsync(new Uri("/api/shares/received", UriKind.Relative), Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK,
            (await notary.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative), Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_interrupted_rotation_continues_on_the_next_run_and_a_retired_version_can_be_destroyed()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        var ring = await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        await new Seeder(database.ConnectionString, ring, TextWriter.Null).SeedAsync(200, 3, Cancel);
        var oldName = (await PeopleAsync(database.ConnectionString)).Single(p => p.Id == DemoData.CitizenAId).EncryptedDisplayName;

        using var interrupt = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Commands(database.ConnectionString, TextWriter.Null, new CancelOnFirstLine(interrupt)).RotateAsync(interrupt.Token));

        var halfway = await ReEncryption.CountAsync(database.ConnectionString, Cancel);
        Assert.Contains(halfway, c => c.Version == 1 && c.Values > 0);
        Assert.Contains(halfway, c => c.Version == 2 && c.Values > 0);
        // Halfway, every value still reads: the ring holds both versions.
        var both = await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        Assert.All(await PeopleAsync(database.ConnectionString), person => Assert.NotEmpty(both.DisplayName(person)));
        await using (var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString)))
        {
            Assert.NotNull(await db.People.FindByInszAsync(both, Insz.Parse("90073000296"), Cancel));
        }

        var output = new StringWriter();
        var counts = await Commands(database.ConnectionString, output, TextWriter.Null).RotateAsync(Cancel);

        Assert.Contains("Continuing the interrupted rotation to key version 2", output.ToString(), StringComparison.Ordinal);
        Assert.All(counts, count => Assert.Equal(2, count.Version));
        Assert.Equal([(1, DataKeyState.Retired), (2, DataKeyState.Active)], await StatesAsync(database.ConnectionString));

        using var error = new StringWriter();
        var commands = Commands(database.ConnectionString, TextWriter.Null, TextWriter.Null);
        Assert.False(await commands.DestroyAsync(2, error, Cancel));
        Assert.Contains("still encrypts", error.ToString(), StringComparison.Ordinal);
        Assert.True(await commands.DestroyAsync(1, error, Cancel));
        Assert.Equal([(1, DataKeyState.Destroyed), (2, DataKeyState.Active)], await StatesAsync(database.ConnectionString));
        Assert.Equal(0L, await ScalarAsync(database.ConnectionString,
            "SELECT count(*) FROM data_keys WHERE version = 1 AND (wrapped_data_key IS NOT NULL OR wrapped_index_key IS NOT NULL)"));

        // Crypto-shredding: a value from before the rotation (say, in a backup) is gone for good.
        var shredded = new Person
        {
            Id = DemoData.CitizenAId, EncryptedInsz = [], InszIndex = [], EncryptedDisplayName = oldName,
        };
        var after = await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        var failure = Assert.Throws<FieldDecryptionException>(() => after.DisplayName(shredded));
        Assert.Contains("destroyed", failure.Message, StringComparison.Ordinal);
    }

    private static KeyCommands Commands(string connectionString, TextWriter output, TextWriter progress) =>
        new(connectionString, TestKeys.Kek, TimeProvider.System, output, progress) { BatchSize = 50 };

    private static async Task<List<Person>> PeopleAsync(string connectionString)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        return await db.People.AsNoTracking().ToListAsync(Cancel);
    }

    private static async Task<List<DwellingShare>> SharesAsync(string connectionString)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        return await db.DwellingShares.AsNoTracking().ToListAsync(Cancel);
    }

    private static async Task<List<(int, DataKeyState)>> StatesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        return [.. (await KeyStore.ListAsync(connection, Cancel)).Select(v => (v.Version, v.State))];
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }

    /// <summary>Stands in for Ctrl-C after the first batch.</summary>
    private sealed class CancelOnFirstLine(CancellationTokenSource cancel) : StringWriter
    {
        public override Task WriteLineAsync(string? value)
        {
            cancel.Cancel();
            return base.WriteLineAsync(value);
        }
    }
}
