using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// Two replicas of the Api on one database share one Data Protection key ring: what one protects (the session cookie,
/// the staff pages' antiforgery token) the other accepts, the stored keys hold no plain key material, and an altered
/// key stops a replica from starting.
/// </summary>
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private readonly ApiFactory _first = new();
    private ApiFactory _second = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _first.InitializeAsync();
        _second = new ApiFactory { SharesDatabaseOf = _first };
        await _second.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // The second replica first: it borrows the first one's database.
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task A_session_made_by_one_replica_is_accepted_by_the_other()
    {
        // Both replicas run before anyone signs in, as after a deployment.
        _second.AnonymousClient().Dispose();
        var cookies = new System.Net.CookieContainer();
        using var first = _first.CreateDefaultClient(ApiFactory.Origin, new CookieContainerHandler(cookies));
        var landing = await _first.SignInAsync(first, "citizen-a");
        using var second = _second.CreateDefaultClient(ApiFactory.Origin, new CookieContainerHandler(cookies));

        var response = await second.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);

        Assert.StartsWith("/account/signed-in", landing, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The ring both used is the database's, not a directory the two in-process hosts happen to share.
        Assert.NotEmpty(await StoredKeysAsync());
    }

    [Fact]
    public async Task A_staff_form_served_by_one_replica_is_accepted_by_the_other()
    {
        var cookies = new System.Net.CookieContainer();
        using var first = _first.CreateDefaultClient(ApiFactory.Origin, new CookieContainerHandler(cookies));
        await _first.SignInAsync(first, "staff-energy");
        var token = await StaffPages.TokenAsync(first, "/staff");
        using var second = _second.CreateDefaultClient(ApiFactory.Origin, new CookieContainerHandler(cookies));

        var (status, html) = await StaffPages.PostAsync(second, "/staff",
            [new("__staffToken", token), new("Query", "Kerkstraat"), new("Purpose", "EPC-dossier 12")]);

        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {html}");
        Assert.NotEmpty(await StoredKeysAsync());
    }

    [Fact]
    public async Task The_stored_keys_hold_no_master_key_only_a_secret_wrapped_by_the_kek()
    {
        using var client = await _first.SignedInClientAsync("citizen-a");
        var masterKeys = _first.Services.GetRequiredService<IKeyManager>().GetAllKeys()
            .Select(k => k.Descriptor.ExportToXml().SerializedDescriptorElement.Descendants("masterKey").Single().Element("value")!.Value)
            .ToList();

        var stored = await StoredKeysAsync();

        Assert.NotEmpty(masterKeys);
        Assert.Equal(masterKeys.Count, stored.Count);
        foreach (var xml in stored)
        {
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.All(masterKeys, masterKey => Assert.DoesNotContain(masterKey, xml, StringComparison.Ordinal));
            Assert.Equal(TestKeys.Kek.Id, (string?)XElement.Parse(xml).Descendants("kekEncryptedKey").Single().Attribute("kek"));
        }
    }

    [Fact]
    public async Task The_api_role_may_add_keys_but_not_change_or_remove_them()
    {
        await using var connection = new NpgsqlConnection(_first.AppConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(
            "SELECT has_table_privilege('data_protection_keys', 'SELECT'), has_table_privilege('data_protection_keys', 'INSERT'), " +
            "has_table_privilege('data_protection_keys', 'UPDATE'), has_table_privilege('data_protection_keys', 'DELETE')", connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        await reader.ReadAsync(Cancel);

        Assert.Equal([true, true, false, false], [reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)]);
    }

    [Fact]
    public async Task A_replica_refuses_to_start_on_a_key_whose_wrapped_secret_was_altered()
    {
        using var client = await _first.SignedInClientAsync("citizen-a");
        await using (var connection = new NpgsqlConnection(_first.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var select = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id LIMIT 1", connection);
            var xml = XElement.Parse((string)(await select.ExecuteScalarAsync(Cancel))!);
            var wrapped = xml.Descendants("wrappedKey").Single();
            var bytes = Convert.FromBase64String(wrapped.Value);
            bytes[^1] ^= 0x01;
            wrapped.Value = Convert.ToBase64String(bytes);
            await using var update = new NpgsqlCommand(
                "UPDATE data_protection_keys SET xml = $1 WHERE id = (SELECT min(id) FROM data_protection_keys)", connection);
            update.Parameters.Add(new NpgsqlParameter { Value = xml.ToString(SaveOptions.DisableFormatting) });
            Assert.Equal(1, await update.ExecuteNonQueryAsync(Cancel));
        }

        var failure = StartFailure(_second);

        Assert.Contains("data_protection_keys", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not unwrap", failure.InnerException?.Message ?? "", StringComparison.Ordinal);
    }

    /// <summary>
    /// The exception the host stopped with. A failed start can surface as ObjectDisposedException when the factory
    /// loses the race with the disposal of the failed host (see <see cref="ApiFactory.StartFailure"/>); it is tried again.
    /// </summary>
    private static InvalidOperationException StartFailure(ApiFactory api)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                api.AnonymousClient().Dispose();
                throw new Xunit.Sdk.XunitException("The replica started on an altered key.");
            }
            catch (InvalidOperationException failure) when (failure is not ObjectDisposedException)
            {
                return failure;
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
            }
        }
    }

    private async Task<List<string>> StoredKeysAsync()
    {
        await using var connection = new NpgsqlConnection(_first.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var rows = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
