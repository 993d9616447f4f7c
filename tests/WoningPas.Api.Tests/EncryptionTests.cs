using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using WoningPas.Api.Account;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Domain;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>Personal columns at rest: AES-GCM under data keys wrapped by the KEK in a real SoftHSM2 token.</summary>
public sealed class EncryptionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_database_holds_ciphertext_not_the_insz_or_the_name()
    {
        await using var connection = await OpenAsync(api.ConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT insz, display_name, insz_index FROM people WHERE id = $1", connection)
        {
            Parameters = { new() { Value = DemoData.CitizenAId } },
        };
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        Assert.True(await reader.ReadAsync(Cancel));
        var insz = reader.GetFieldValue<byte[]>(0);
        var name = reader.GetFieldValue<byte[]>(1);
        var index = reader.GetFieldValue<byte[]>(2);

        Assert.Equal(KeyRing.Format, insz[0]);
        Assert.Equal(KeyRing.Overhead + 11, insz.Length);
        Assert.False(Contains(insz, "90073000296"), "the INSZ is stored in clear");
        Assert.False(Contains(name, "An Peeters"), "the name is stored in clear");
        Assert.False(Contains(name, "Peeters"), "part of the name is stored in clear");
        Assert.NotEqual(SHA256.HashData("90073000296"u8), index);
        Assert.Equal(32, index.Length);
    }

    [Fact]
    public async Task No_personal_column_of_people_is_text_any_more()
    {
        await using var connection = await OpenAsync(api.ConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'people' ORDER BY column_name",
            connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var columns = new Dictionary<string, string>();
        while (await reader.ReadAsync(Cancel))
        {
            columns[reader.GetString(0)] = reader.GetString(1);
        }

        Assert.Equal(new Dictionary<string, string>
        {
            ["display_name"] = "bytea", ["id"] = "uuid", ["insz"] = "bytea", ["insz_index"] = "bytea",
        }, columns);
    }

    [Theory]
    [InlineData("90073000296")]
    [InlineData("90.07.30-002.96")]
    [InlineData(" 90 07 30 002 96 ")]
    [InlineData("90.07.30 002-96")]
    public async Task The_blind_index_finds_the_person_by_insz_in_any_accepted_form(string form)
    {
        var ring = await KeyRing.LoadAsync(api.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        var person = await db.People.FindByInszAsync(ring, Insz.Parse(form), Cancel);

        Assert.NotNull(person);
        Assert.Equal(DemoData.CitizenAId, person.Id);
        Assert.Equal("An Peeters", ring.DisplayName(person));
        Assert.Equal("90073000296", ring.Insz(person).Value);
    }

    [Fact]
    public async Task The_blind_index_finds_nobody_for_a_valid_number_that_is_not_known()
    {
        var ring = await KeyRing.LoadAsync(api.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        Assert.Null(await db.People.FindByInszAsync(ring, Insz.Parse("01010112369"), Cancel));
    }

    [Fact]
    public async Task A_first_sign_in_stores_the_person_encrypted_once_and_finds_them_again()
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WoningPasDbContext>();
        var keys = scope.ServiceProvider.GetRequiredService<KeyRingCache>();
        var insz = Insz.Parse("90.02.01-997.04");

        var first = await CitizenSignIn.FindOrAddAsync(db, keys, insz, "Dina Claes", Cancel);
        var second = await CitizenSignIn.FindOrAddAsync(db, keys, Insz.Parse("90020199704"), "Other Name", Cancel);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Dina Claes", second.DisplayName);
        await using var connection = await OpenAsync(api.ConnectionString);
        await using var command = new NpgsqlCommand("SELECT insz, display_name FROM people WHERE id = $1", connection)
        {
            Parameters = { new() { Value = first.Id } },
        };
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        Assert.True(await reader.ReadAsync(Cancel));
        Assert.False(Contains(reader.GetFieldValue<byte[]>(0), "90020199704"));
        Assert.False(Contains(reader.GetFieldValue<byte[]>(1), "Dina Claes"));
    }

    [Fact]
    public async Task The_dev_sign_in_of_a_citizen_reads_their_name_from_the_encrypted_row()
    {
        using var client = await api.SignedInClientAsync("citizen-a");

        var me = await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    internal static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        return connection;
    }
}

/// <summary>Values are bound to their row and column; the key-file provider is for Development only.</summary>
public sealed class EncryptionBindingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_value_copied_to_another_row_fails_to_decrypt_with_a_clear_error()
    {
        await using var database = await TestDatabases.CreateAsync(Cancel);
        await using (var connection = await EncryptionTests.OpenAsync(database.ConnectionString))
        await using (var copy = new NpgsqlCommand(
            "UPDATE people SET display_name = (SELECT display_name FROM people WHERE id = $1) WHERE id = $2", connection)
            {
                Parameters = { new() { Value = DemoData.CitizenAId }, new() { Value = DemoData.CitizenBId } },
            })
        {
            Assert.Equal(1, await copy.ExecuteNonQueryAsync(Cancel));
        }

        var ring = await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        var victim = await db.People.SingleAsync(p => p.Id == DemoData.CitizenBId, Cancel);

        var failure = Assert.Throws<FieldDecryptionException>(() => ring.DisplayName(victim));

        Assert.Contains("people.display_name", failure.Message, StringComparison.Ordinal);
        Assert.Contains(DemoData.CitizenBId.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not belong there", failure.Message, StringComparison.Ordinal);
        // The original row still reads: only the copy is refused.
        Assert.Equal("An Peeters", ring.DisplayName(await db.People.SingleAsync(p => p.Id == DemoData.CitizenAId, Cancel)));
    }

    [Fact]
    public async Task A_value_copied_to_another_column_of_the_same_row_fails_to_decrypt()
    {
        var ring = await KeyRing.LoadAsync((await SharedDatabase.Value).ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        var id = Guid.CreateVersion7();
        var person = PersonFields.Create(ring, id, Insz.Parse("90073000296"), "An Peeters");
        var swapped = new Person { Id = id, EncryptedInsz = person.EncryptedInsz, InszIndex = person.InszIndex, EncryptedDisplayName = person.EncryptedInsz };

        Assert.Throws<FieldDecryptionException>(() => ring.DisplayName(swapped));
        Assert.Equal("An Peeters", ring.DisplayName(person));
    }

    [Fact]
    public async Task An_altered_byte_fails_to_decrypt()
    {
        var ring = await KeyRing.LoadAsync((await SharedDatabase.Value).ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        var id = Guid.CreateVersion7();
        var person = PersonFields.Create(ring, id, Insz.Parse("90073000296"), "An Peeters");
        person.EncryptedDisplayName[^1] ^= 1;

        Assert.Throws<FieldDecryptionException>(() => ring.DisplayName(person));
    }

    [Fact]
    public async Task Production_refuses_to_start_with_the_development_key_file_and_names_the_setting()
    {
        await using var api = new ApiFactory
        {
            EnvironmentName = "Production",
            Settings = new Dictionary<string, string?>(ProductionSettings)
            {
                ["Encryption:Provider"] = "File",
                ["Encryption:DevelopmentKeyFile"] = Path.Combine(Path.GetTempPath(), "woningpas-never-" + Guid.NewGuid().ToString("N")),
            },
        };
        await api.InitializeAsync();

        var failure = api.StartFailure();

        Assert.Contains("Encryption:Provider=File", failure.Message, StringComparison.Ordinal);
        Assert.Contains("only in Development", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_to_start_without_the_token_pin()
    {
        await using var api = new ApiFactory
        {
            EnvironmentName = "Production",
            Settings = new Dictionary<string, string?>(ProductionSettings) { ["Encryption:Pkcs11:Pin"] = "" },
        };
        await api.InitializeAsync();

        var failure = api.StartFailure();

        Assert.Contains("Encryption:Pkcs11:Pin", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_is_not_ready_while_its_data_keys_cannot_be_unwrapped()
    {
        await using var api = new ApiFactory
        {
            Settings = new Dictionary<string, string?> { ["Encryption:Pkcs11:KeyLabel"] = "not-the-key-that-wrapped-them" },
        };
        await api.InitializeAsync();
        using var client = api.AnonymousClient();

        var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Development_may_use_the_key_file()
    {
        var file = Path.Combine(Path.GetTempPath(), "woningpas-dev-kek-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var api = new ApiFactory
            {
                EnvironmentName = "Development",
                Settings = new Dictionary<string, string?> { ["Encryption:Provider"] = "File", ["Encryption:DevelopmentKeyFile"] = file },
            };
            await api.InitializeAsync();
            using var client = api.AnonymousClient();

            var kek = api.Services.GetRequiredService<IKeyEncryptionKey>();

            Assert.Equal("file:" + Path.GetFileName(file), kek.Id);
            Assert.Equal([1, 2, 3], kek.Unwrap(kek.Wrap([1, 2, 3])));
            Assert.Equal(32, new FileInfo(file).Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Rows_stored_before_encryption_are_encrypted_by_the_migrate_step()
    {
        await using var database = await TestDatabases.CreateEmptyAsync(Cancel);
        await using (var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString)))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261124004420_PassportSections", cancellationToken: Cancel);
        }

        var legacyId = Guid.CreateVersion7();
        await using (var connection = await EncryptionTests.OpenAsync(database.ConnectionString))
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO people (id, insz, display_name) VALUES ($1, '93022800188', 'Bram Janssens'), ($2, '91010100569', 'Chris Wouters')",
            connection) { Parameters = { new() { Value = legacyId }, new() { Value = Guid.CreateVersion7() } } })
        {
            await insert.ExecuteNonQueryAsync(Cancel);
        }

        var ring = await DatabaseSetup.MigrateAsync(database.ConnectionString, TestKeys.Kek, seedDemoData: false, Cancel);

        await using var after = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        var person = await after.People.FindByInszAsync(ring, Insz.Parse("93.02.28-001.88"), Cancel);
        Assert.NotNull(person);
        Assert.Equal(legacyId, person.Id);
        Assert.Equal("Bram Janssens", ring.DisplayName(person));
        Assert.Equal(KeyRing.Format, person.EncryptedInsz[0]);
        Assert.All(await ReEncryption.CountAsync(database.ConnectionString, Cancel), count => Assert.NotEqual(0, count.Version));
    }

    private static readonly Lazy<Task<TestDatabase>> SharedDatabase = new(() => TestDatabases.CreateAsync());

    private static readonly Dictionary<string, string?> ProductionSettings = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "11111111-1111-1111-1111-111111111111",
        ["AzureAd:ClientId"] = "22222222-2222-2222-2222-222222222222",
        ["AzureAd:CallbackPath"] = "/account/signin-oidc",
    };
}
