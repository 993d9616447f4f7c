using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Passport;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The passport cache: a second read comes from memory, and a change committed by anyone, in any table a passport is
/// read from, reaches the next reads as soon as PostgreSQL announces it. The changes are made in SQL as the schema
/// owner, as an import or an operator would: the Api has no part in them but the listening.
/// </summary>
public sealed class PassportCacheTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri GentPassport = new($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative);
    private static readonly Uri LeuvenPassport = new($"/api/dwellings/{DemoData.LeuvenHouseId}/passport", UriKind.Relative);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private PassportCache Cache => api.Services.GetRequiredService<PassportCache>();

    [Fact]
    public async Task A_second_read_comes_from_memory_not_from_the_database()
    {
        using var holder = await api.SignedInClientAsync("citizen-a");
        var original = await EpcReferenceAsync(holder);
        await WaitUntilActiveAsync();
        Assert.Equal(original, await EpcReferenceAsync(holder));

        // Unannounced (its trigger off), a change in the database is not seen: the read above was kept in memory.
        await ExecuteAsync($"""
            ALTER TABLE energy_certificates DISABLE TRIGGER passport_changed_update;
            UPDATE energy_certificates SET source_reference = 'EPC-SILENT' WHERE dwelling_id = '{DemoData.GentHouseId}';
            ALTER TABLE energy_certificates ENABLE TRIGGER passport_changed_update;
            """);
        try
        {
            Assert.Equal(original, await EpcReferenceAsync(holder));

            await ExecuteAsync($"NOTIFY {PassportChanges.Channel}, '{DemoData.GentHouseId}'");
            Assert.Equal("EPC-SILENT", await EventuallyAsync(() => EpcReferenceAsync(holder), "EPC-SILENT"));
        }
        finally
        {
            await SetGentEpcReferenceAsync(original);
        }
    }

    [Fact]
    public async Task A_change_to_a_dwelling_section_reaches_the_next_reads()
    {
        using var holder = await api.SignedInClientAsync("citizen-a");
        var original = await EpcReferenceAsync(holder);
        await WaitUntilActiveAsync();
        await EpcReferenceAsync(holder);

        await SetGentEpcReferenceAsync("EPC-CHANGED");
        try
        {
            Assert.Equal("EPC-CHANGED", await EventuallyAsync(() => EpcReferenceAsync(holder), "EPC-CHANGED"));
        }
        finally
        {
            await SetGentEpcReferenceAsync(original);
        }
    }

    [Fact]
    public async Task A_certificate_added_to_a_parcel_reaches_the_dwellings_on_it()
    {
        using var holder = await api.SignedInClientAsync("citizen-b");
        await WaitUntilActiveAsync();
        Assert.DoesNotContain("BA-CACHE-TEST", await BodyAsync(holder, LeuvenPassport), StringComparison.Ordinal);

        var id = Guid.NewGuid();
        await ExecuteAsync($"""
            INSERT INTO soil_certificates (id, parcel_id, source_reference, issued_on, in_land_information_register, source_updated_at)
            SELECT '{id}', bp.parcel_id, 'BA-CACHE-TEST', DATE '2026-01-05', false, now()
            FROM dwellings d JOIN building_parcels bp ON bp.building_id = d.building_id WHERE d.id = '{DemoData.LeuvenHouseId}'
            """);
        try
        {
            var body = await EventuallyAsync(() => BodyAsync(holder, LeuvenPassport), "BA-CACHE-TEST",
                (text, expected) => text.Contains(expected, StringComparison.Ordinal));
            Assert.Contains("BA-CACHE-TEST", body, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync($"DELETE FROM soil_certificates WHERE id = '{id}'");
        }
    }

    [Fact]
    public async Task A_changed_address_reaches_the_dwellings_at_it()
    {
        using var holder = await api.SignedInClientAsync("citizen-b");
        await WaitUntilActiveAsync();
        Assert.Equal("Bondgenotenlaan", await StreetAsync(holder));

        await ExecuteAsync($"UPDATE addresses SET street = 'Tiensestraat' WHERE id = (SELECT address_id FROM dwellings WHERE id = '{DemoData.LeuvenHouseId}')");
        try
        {
            Assert.Equal("Tiensestraat", await EventuallyAsync(() => StreetAsync(holder), "Tiensestraat"));
        }
        finally
        {
            await ExecuteAsync($"UPDATE addresses SET street = 'Bondgenotenlaan' WHERE id = (SELECT address_id FROM dwellings WHERE id = '{DemoData.LeuvenHouseId}')");
        }
    }

    [Fact]
    public async Task Losing_the_listening_connection_empties_the_cache_and_it_listens_again()
    {
        using var holder = await api.SignedInClientAsync("citizen-a");
        await WaitUntilActiveAsync();
        await EpcReferenceAsync(holder);
        Assert.True(Cache.Count > 0);

        await ExecuteAsync("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'woningpas-passport-changes' AND datname = current_database()
            """);

        // Emptied when the loss is noticed; listening again after a short pause, with a new connection.
        await EventuallyAsync(() => Task.FromResult(Cache.Count), 0L);
        await WaitUntilActiveAsync();
        Assert.Equal(HttpStatusCode.OK, (await holder.GetAsync(GentPassport, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'woningpas-passport-changes' AND datname = current_database()"));
    }

    [Fact]
    public async Task Changing_a_data_key_announces_that_everything_changed()
    {
        await using var listener = new NpgsqlConnection(api.ConnectionString);
        await listener.OpenAsync(TestContext.Current.CancellationToken);
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PassportChanges.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await ExecuteAsync("UPDATE data_keys SET version = version WHERE false");
        await ExecuteAsync($"UPDATE deeds SET source_reference = source_reference WHERE dwelling_id = '{DemoData.GentHouseId}'");
        while (payloads.Count < 2)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Patience);
            await listener.WaitAsync(timeout.Token);
        }

        Assert.Equal([PassportChanges.Everything, DemoData.GentHouseId.ToString("D")], payloads);
    }

    [Fact]
    public async Task A_change_leaves_the_cache_of_every_replica_within_a_second()
    {
        // A second replica: its own cache and its own listening connection, on the same database as the Api.
        using var other = new PassportCache(Options.Create(new PassportCacheSettings()), TimeProvider.System);
        using var otherListener = new PassportChangeListener(other,
            Options.Create(new DatabaseSettings { WoningPas = api.AppConnectionString }),
            Options.Create(new PassportCacheSettings()), TimeProvider.System, NullLogger<PassportChangeListener>.Instance);
        await otherListener.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await WaitUntilActiveAsync();
            Assert.True(await EventuallyAsync(() => Task.FromResult(other.IsActive), true), "The second replica does not listen.");
            await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
            var original = (await other.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken))!.Epc!.SourceReference;
            await Cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken);

            await SetGentEpcReferenceAsync("EPC-BOTH-REPLICAS");
            try
            {
                var watch = Stopwatch.StartNew();
                var (onThis, onOther) = await EventuallyAsync(async () => (
                        (await Cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken))!.Epc!.SourceReference,
                        (await other.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken))!.Epc!.SourceReference),
                    ("EPC-BOTH-REPLICAS", "EPC-BOTH-REPLICAS"));

                Assert.Equal(("EPC-BOTH-REPLICAS", "EPC-BOTH-REPLICAS"), (onThis, onOther));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"seen after {watch.Elapsed.TotalMilliseconds:F0} ms");
            }
            finally
            {
                await SetGentEpcReferenceAsync(original);
            }
        }
        finally
        {
            await otherListener.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_writer_that_catches_up_reads_its_own_change_at_once()
    {
        await WaitUntilActiveAsync();
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        var original = (await Cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken))!.Epc!.SourceReference;
        try
        {
            // Without catching up, a read right after a commit often still finds the copy held before it: the
            // announcement is on its way. Repeated so that a missing wait is seen, not only possible.
            for (var round = 0; round < 25; round++)
            {
                var reference = $"EPC-CAUGHT-UP-{round}";
                await SetGentEpcReferenceAsync(reference);
                await Cache.CatchUpAsync(db, TestContext.Current.CancellationToken);

                var read = await Cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken);
                Assert.Equal(reference, read!.Epc!.SourceReference);
            }
        }
        finally
        {
            await SetGentEpcReferenceAsync(original);
        }
    }

    [Fact]
    public async Task A_writer_waiting_for_a_marker_nobody_hears_goes_on_once_the_listening_stops()
    {
        // This cache has no listener, so its marker is never heard; its clock stands still, so patience never runs out.
        using var cache = new PassportCache(Options.Create(new PassportCacheSettings()), new FakeTimeProvider());
        cache.Listening(true);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        var waiting = cache.CatchUpAsync(db, TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var waitedForTheMarker = !waiting.IsCompleted;
        cache.Listening(false);

        Assert.True(waitedForTheMarker);
        await waiting.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Reads_are_neither_served_nor_kept_while_the_changes_cannot_be_heard()
    {
        using var cache = new PassportCache(Options.Create(new PassportCacheSettings()), TimeProvider.System);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        var unheard = await cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken);
        cache.Listening(true);
        await cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken);
        var kept = cache.Count;
        cache.Listening(false);

        Assert.NotNull(unheard);
        Assert.Equal(1, kept);
        Assert.Equal(0, cache.Count);
        Assert.False(cache.IsActive);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("not-an-id")]
    public async Task Everything_goes_on_an_announcement_of_everything_or_one_not_understood(string payload)
    {
        using var cache = await CacheWithBothDwellingsAsync();

        cache.Changed(payload);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Only_the_announced_dwellings_go()
    {
        using var cache = await CacheWithBothDwellingsAsync();

        cache.Changed($"{DemoData.LeuvenHouseId} {Guid.NewGuid()}");

        Assert.Equal(1, cache.Count);
    }

    private async Task<PassportCache> CacheWithBothDwellingsAsync()
    {
        var cache = new PassportCache(Options.Create(new PassportCacheSettings()), TimeProvider.System);
        cache.Listening(true);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        await cache.ReadAsync(db, DemoData.GentHouseId, TestContext.Current.CancellationToken);
        await cache.ReadAsync(db, DemoData.LeuvenHouseId, TestContext.Current.CancellationToken);
        Assert.Equal(2, cache.Count);
        return cache;
    }

    /// <summary>
    /// Waits until the Api listens, and has heard every change committed so far: an earlier test's clean-up, announced
    /// a few milliseconds after its commit, must not empty the cache in the middle of this one. The pause before
    /// listening again runs on the host's clock, which the tests hold still, so the clock is moved on meanwhile (by
    /// seconds: the day does not change).
    /// </summary>
    private async Task WaitUntilActiveAsync()
    {
        Assert.True(await EventuallyAsync(() =>
        {
            api.Time.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(Cache.IsActive);
        }, true), "The passport cache does not listen for changes.");
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        await Cache.CatchUpAsync(db, TestContext.Current.CancellationToken);
    }

    private static async Task<string> BodyAsync(HttpClient client, Uri passport)
    {
        var response = await client.GetAsync(passport, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> EpcReferenceAsync(HttpClient holder)
    {
        using var json = JsonDocument.Parse(await BodyAsync(holder, GentPassport));
        return json.RootElement.GetProperty("sections").GetProperty("epc").GetProperty("source").GetProperty("reference").GetString()!;
    }

    private static async Task<string> StreetAsync(HttpClient holder)
    {
        using var json = JsonDocument.Parse(await BodyAsync(holder, LeuvenPassport));
        return json.RootElement.GetProperty("address").GetProperty("street").GetString()!;
    }

    /// <summary>What <paramref name="read"/> gives once it gives <paramref name="expected"/>, or its last answer after <see cref="Patience"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, T expected, Func<T, T, bool>? matches = null)
    {
        matches ??= EqualityComparer<T>.Default.Equals;
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (matches(value, expected) || stopwatch.Elapsed > Patience)
            {
                return value;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private Task SetGentEpcReferenceAsync(string reference) =>
        ExecuteAsync($"UPDATE energy_certificates SET source_reference = '{reference}' WHERE dwelling_id = '{DemoData.GentHouseId}'");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
