using System.Security.Cryptography;
using System.Text;
using Npgsql;
using WoningPas.Cli.Exit;
using WoningPas.Cli.Seeding;
using WoningPas.Data.Encryption;
using WoningPas.Testing;

namespace WoningPas.Cli.Tests;

public sealed class ExitTests : IDisposable
{
    private static readonly Lazy<(string Public, string Private)> Keys = new(() =>
        RecipientKey.Generate(Directory.CreateTempSubdirectory("woningpas-keys-").FullName));

    private readonly string _directory = Directory.CreateTempSubdirectory("woningpas-exit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_import_into_an_empty_instance_and_export_again_gives_identical_checksums()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        await new Seeder(source.ConnectionString, await KeyRing.LoadAsync(source.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel), TextWriter.Null).SeedAsync(300, 3, Cancel);
        await AccessLogRows.AppendAsync(source.ConnectionString, 4);
        await using var target = await EmptyDatabaseAsync();
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);

        var first = await new Exporter(source.ConnectionString, TimeProvider.System, TextWriter.Null)
            .ExportAsync(Path.Combine(_directory, "first"), publicKey, Cancel);
        var imported = await new ExitImporter(target.ConnectionString, TextWriter.Null)
            .ImportAsync(Path.Combine(_directory, "first"), privateKey, Cancel);
        var second = await new Exporter(target.ConnectionString, TimeProvider.System, TextWriter.Null)
            .ExportAsync(Path.Combine(_directory, "second"), publicKey, Cancel);

        Assert.Equal(
            first.Manifest.Files.Select(f => (f.Entity, f.Rows, f.Sha256)),
            second.Manifest.Files.Select(f => (f.Entity, f.Rows, f.Sha256)));
        Assert.Equal(first.Rows, imported.Rows);
        Assert.True(imported.AccessLog.Intact);
        Assert.Equal(4, imported.AccessLog.Entries);
        Assert.Contains(first.Manifest.Files, f => f is { Entity: "dwellings", Rows: 303 });
        Assert.Contains(first.Manifest.Files, f => f is { Entity: "owner_documents" });
        // Each export is recorded in its source's access log, after its snapshot: not in the export itself.
        Assert.Equal(5, await AccessLogRows.ScalarAsync(source.ConnectionString, "SELECT count(*) FROM access_log"));
        Assert.Equal(1, await AccessLogRows.ScalarAsync(source.ConnectionString, "SELECT count(*) FROM access_log WHERE action = 'Export'"));
        // The encrypted files differ (fresh key and nonces), the data they hold does not.
        Assert.NotEqual(Sha(Path.Combine(_directory, "first", "dwellings.jsonl.enc")), Sha(Path.Combine(_directory, "second", "dwellings.jsonl.enc")));
        // Sequences moved past the imported ids: the target's log chains on.
        await AccessLogRows.AppendAsync(target.ConnectionString, 1);
    }

    [Fact]
    public async Task Each_file_is_versioned_json_lines_that_only_the_recipient_can_read()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);
        var export = await new Exporter(source.ConnectionString, TimeProvider.System, TextWriter.Null).ExportAsync(_directory, publicKey, Cancel);

        var people = export.Manifest.Files.Single(f => f.Entity == "people");
        var sealedBytes = await File.ReadAllBytesAsync(Path.Combine(_directory, people.File), Cancel);
        var key = privateKey.Decrypt(Convert.FromBase64String(export.Manifest.WrappedKey), RSAEncryptionPadding.OaepSHA256);
        using var reader = new StreamReader(new SealedFileReader(new MemoryStream(sealedBytes), key, people.File));
        var lines = (await reader.ReadToEndAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.DoesNotContain("85073003328", Encoding.UTF8.GetString(sealedBytes), StringComparison.Ordinal);
        Assert.Contains("\"schemaVersion\":\"" + export.Manifest.SchemaVersion + "\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"entity\":\"people\"", lines[0], StringComparison.Ordinal);
        Assert.Equal(people.Rows, lines.Length - 1);
        Assert.Contains(lines, line => line.Contains("\"insz\":\"85073003328\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_import_is_refused_into_a_non_empty_instance_and_with_an_altered_file_nothing_is_written()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        await using var target = await EmptyDatabaseAsync();
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);
        var export = await new Exporter(source.ConnectionString, TimeProvider.System, TextWriter.Null).ExportAsync(_directory, publicKey, Cancel);

        var notEmpty = await Assert.ThrowsAsync<ExitException>(() =>
            new ExitImporter(source.ConnectionString, TextWriter.Null).ImportAsync(_directory, privateKey, Cancel));

        var last = export.Manifest.Files.Last(f => f.Rows > 0);
        var path = Path.Combine(_directory, last.File);
        var bytes = await File.ReadAllBytesAsync(path, Cancel);
        bytes[^20] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, Cancel);
        var altered = await Assert.ThrowsAsync<ExitException>(() =>
            new ExitImporter(target.ConnectionString, TextWriter.Null).ImportAsync(_directory, privateKey, Cancel));

        Assert.Contains("not empty", notEmpty.Message, StringComparison.Ordinal);
        Assert.Contains("altered", altered.Message, StringComparison.Ordinal);
        Assert.Equal(0, await AccessLogRows.ScalarAsync(target.ConnectionString, "SELECT count(*) FROM people"));
        Assert.Equal(0, await AccessLogRows.ScalarAsync(target.ConnectionString, "SELECT count(*) FROM addresses"));
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>A migrated database without the demo data: what a new provider starts from.</summary>
    private static async Task<TestDatabase> EmptyDatabaseAsync()
    {
        var database = await TestDatabases.CreateAsync(Cancel);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var tables = new NpgsqlCommand(
            "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('__migrations', 'access_log')",
            connection);
        var list = (string)(await tables.ExecuteScalarAsync(Cancel))!;
        await using var truncate = new NpgsqlCommand($"TRUNCATE {list} CASCADE", connection);
        await truncate.ExecuteNonQueryAsync(Cancel);
        Assert.Equal(0, await AccessLogRows.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM access_log"));
        return database;
    }
}
