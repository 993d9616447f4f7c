using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Cli.Exit;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Data.Sharing;
using WoningPas.Domain;
using WoningPas.Testing;

namespace WoningPas.Cli.Tests;

public sealed class ExitTests : IDisposable
{
    private static readonly Lazy<(string Public, string Private)> Keys = new(() =>
        RecipientKey.Generate(Directory.CreateTempSubdirectory("woningpas-keys-").FullName));

    private readonly string _directory = Directory.CreateTempSubdirectory("woningpas-exit-").FullName;
    private readonly string _otherProvider = Directory.CreateTempSubdirectory("woningpas-other-provider-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(_otherProvider, recursive: true);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_import_into_an_empty_instance_and_export_again_gives_identical_checksums()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        var sourceRing = await SourceRingAsync(source);
        await new Seeder(source.ConnectionString, sourceRing, TextWriter.Null).SeedAsync(300, 3, Cancel);
        await AccessLogRows.AppendAsync(source.ConnectionString, 4);
        // A document of a few chunks, stored as the Api stores an upload: encrypted under the source's key, bound to its id.
        var document = RandomNumberGenerator.GetBytes((2 * ChunkedContent.ChunkSize) + 1234);
        var documentId = await StoreDocumentAsync(source.ConnectionString, sourceRing, document);
        await using var target = await EmptyDatabaseAsync();
        var (targetKek, targetRing) = await OtherProviderAsync(target);
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);

        var first = await new Exporter(source.ConnectionString, sourceRing, TimeProvider.System, TextWriter.Null)
            .ExportAsync(Path.Combine(_directory, "first"), publicKey, Cancel);
        var imported = await new ExitImporter(target.ConnectionString, targetRing, TextWriter.Null)
            .ImportAsync(Path.Combine(_directory, "first"), privateKey, Cancel);
        var second = await new Exporter(target.ConnectionString, targetRing, TimeProvider.System, TextWriter.Null)
            .ExportAsync(Path.Combine(_directory, "second"), publicKey, Cancel);

        Assert.Equal(
            first.Manifest.Files.Select(f => (f.Entity, f.Rows, f.Sha256)),
            second.Manifest.Files.Select(f => (f.Entity, f.Rows, f.Sha256)));
        Assert.Equal(first.Rows, imported.Rows);
        Assert.True(imported.AccessLog.IsIntact);
        Assert.Equal(4, imported.AccessLog.EntriesChecked);
        Assert.Contains(first.Manifest.Files, f => f is { Entity: "dwellings", Rows: 303 });
        Assert.Contains(first.Manifest.Files, f => f is { Entity: "owner_documents" });
        Assert.DoesNotContain(first.Manifest.Files, f => f.Entity == KeyStore.Table);
        // The target holds its own key material under its own KEK, and none of the source's ciphertext.
        Assert.NotEqual(TestKeys.Kek.Id, targetKek.Id);
        Assert.Equal(targetKek.Id, await ScalarTextAsync(target.ConnectionString, "SELECT string_agg(DISTINCT wrapped_by, ',') FROM data_keys"));
        var sourcePeople = await PeopleAsync(source.ConnectionString);
        var targetPeople = await PeopleAsync(target.ConnectionString);
        Assert.Equal(sourcePeople.Keys.Order(), targetPeople.Keys.Order());
        Assert.All(targetPeople, person =>
        {
            Assert.NotEqual(sourcePeople[person.Key].EncryptedInsz, person.Value.EncryptedInsz);
            Assert.NotEqual(sourcePeople[person.Key].InszIndex, person.Value.InszIndex);
            Assert.Equal(sourceRing.Insz(sourcePeople[person.Key]), targetRing.Insz(person.Value));
            Assert.Equal(sourceRing.DisplayName(sourcePeople[person.Key]), targetRing.DisplayName(person.Value));
        });
        var sourceShares = await SharesAsync(source.ConnectionString);
        var targetShares = await SharesAsync(target.ConnectionString);
        Assert.Contains(targetShares.Values, s => s.EncryptedRecipientEmail is not null);
        Assert.All(targetShares, share =>
        {
            Assert.Equal(sourceRing.RecipientEmail(sourceShares[share.Key]), targetRing.RecipientEmail(share.Value));
            if (share.Value.EncryptedRecipientEmail is not null)
            {
                Assert.NotEqual(sourceShares[share.Key].RecipientEmailIndex, share.Value.RecipientEmailIndex);
                Assert.Equal(targetRing.BlindIndex(ShareFields.RecipientEmailIndexPurpose, targetRing.RecipientEmail(share.Value)!), share.Value.RecipientEmailIndex);
            }
        });
        // Each export is recorded in its source's access log, after its snapshot: not in the export itself.
        Assert.Equal(5, await AccessLogRows.ScalarAsync(source.ConnectionString, "SELECT count(*) FROM access_log"));
        Assert.Equal(1, await AccessLogRows.ScalarAsync(source.ConnectionString, "SELECT count(*) FROM access_log WHERE action = 'Export'"));
        // The encrypted files differ (fresh key and nonces), the data they hold does not.
        Assert.NotEqual(Sha(Path.Combine(_directory, "first", "dwellings.jsonl.enc")), Sha(Path.Combine(_directory, "second", "dwellings.jsonl.enc")));
        // The document arrived re-encrypted under the target's key and decrypts there to the uploaded bytes.
        var (targetContent, targetSha256) = await StoredDocumentAsync(target.ConnectionString, documentId);
        var (sourceContent, _) = await StoredDocumentAsync(source.ConnectionString, documentId);
        Assert.NotEqual(sourceContent, targetContent);
        Assert.Equal(targetRing.ActiveVersion, KeyRing.VersionOf(targetContent));
        Assert.Equal(document, Decrypt(targetRing, targetContent, documentId));
        Assert.Equal(SHA256.HashData(document), targetSha256);
        Assert.ThrowsAny<FieldDecryptionException>(() => Decrypt(sourceRing, targetContent, documentId));
        // In the export (inside the recipient's encryption) the content is the plain document.
        var contents = await DecryptedLinesAsync(Path.Combine(_directory, "first"), first.Manifest,
            first.Manifest.Files.Single(f => f.Entity == EncryptedColumns.DocumentContents.Table), privateKey);
        Assert.Contains("\"layout\":2", contents[0], StringComparison.Ordinal);
        Assert.Contains(contents, line => line.Contains("\\\\x" + Convert.ToHexStringLower(document), StringComparison.Ordinal));
        // The indexes and foreign keys the import dropped for the load are all back, as the migrations made them.
        Assert.Equal(await ScalarTextAsync(source.ConnectionString, SchemaSql), await ScalarTextAsync(target.ConnectionString, SchemaSql));
        // Sequences moved past the imported ids: the target's log chains on.
        await AccessLogRows.AppendAsync(target.ConnectionString, 1);
    }

    [Fact]
    public async Task Each_file_is_versioned_json_lines_that_only_the_recipient_can_read_with_people_decrypted_and_no_key_material()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);
        var export = await new Exporter(source.ConnectionString, await SourceRingAsync(source), TimeProvider.System, TextWriter.Null)
            .ExportAsync(_directory, publicKey, Cancel);

        var people = export.Manifest.Files.Single(f => f.Entity == "people");
        var lines = await DecryptedLinesAsync(_directory, export.Manifest, people, privateKey);
        var everything = new StringBuilder();
        foreach (var file in export.Manifest.Files)
        {
            everything.AppendJoin('\n', await DecryptedLinesAsync(_directory, export.Manifest, file, privateKey));
            // The plain INSZ and e-mail are only ever inside the recipient-encrypted files.
            var sealedText = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(_directory, file.File), Cancel));
            Assert.DoesNotContain("90073000296", sealedText, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoData.NotaryEmail, sealedText, StringComparison.Ordinal);
        }

        Assert.Contains("\"schemaVersion\":\"" + export.Manifest.SchemaVersion + "\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"entity\":\"people\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"layout\":2", lines[0], StringComparison.Ordinal);
        Assert.Contains("{\"name\":\"insz\",\"type\":\"text\"}", lines[0], StringComparison.Ordinal);
        Assert.Equal(people.Rows, lines.Count - 1);
        Assert.Contains(lines, line => line.Contains("\"insz\":\"90073000296\"", StringComparison.Ordinal)
            && line.Contains("\"display_name\":\"An Peeters\"", StringComparison.Ordinal));
        // Every person's INSZ is the plain 11 digits: no value is a ciphertext (bytea, "\\x01…").
        Assert.All(lines.Skip(1), line => Assert.Matches("\"insz\":\"[0-9]{11}\"", line));
        Assert.DoesNotContain("\\\\x01", string.Join('\n', lines.Skip(1)), StringComparison.Ordinal);
        // Share e-mails leave decrypted too.
        var shares = await DecryptedLinesAsync(_directory, export.Manifest,
            export.Manifest.Files.Single(f => f.Entity == ShareFields.Table), privateKey);
        Assert.Contains("\"layout\":2", shares[0], StringComparison.Ordinal);
        Assert.Contains(shares, line => line.Contains($"\"recipient_email\":\"{DemoData.NotaryEmail}\"", StringComparison.Ordinal));
        // Neither the blind indexes nor the data keys leave the instance.
        Assert.DoesNotContain(PersonFields.InszIndexColumn, everything.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ShareFields.RecipientEmailIndexColumn, everything.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrapped_data_key", everything.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrapped_index_key", everything.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(export.Manifest.Files, f => f.Entity == KeyStore.Table);
        Assert.Contains("\"layout\":1", (await DecryptedLinesAsync(_directory, export.Manifest,
            export.Manifest.Files.Single(f => f.Entity == "dwellings"), privateKey))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_import_under_another_kek_the_target_finds_a_person_by_insz_and_reads_the_name()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        var sourceRing = await SourceRingAsync(source);
        await using var target = await EmptyDatabaseAsync();
        var (targetKek, targetRing) = await OtherProviderAsync(target);
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);
        await new Exporter(source.ConnectionString, sourceRing, TimeProvider.System, TextWriter.Null)
            .ExportAsync(_directory, publicKey, Cancel);

        await new ExitImporter(target.ConnectionString, targetRing, TextWriter.Null).ImportAsync(_directory, privateKey, Cancel);

        // As citizen sign-in does it: a fresh key ring from the target's data_keys, the blind index lookup, decrypt.
        var ring = await KeyRing.LoadAsync(target.ConnectionString, targetKek, TimeProvider.System, Cancel);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(target.ConnectionString));
        var person = await db.People.AsNoTracking().FindByInszAsync(ring, Insz.Parse("90.07.30-002.96"), Cancel);
        Assert.NotNull(person);
        Assert.Equal(DemoData.CitizenAId, person.Id);
        Assert.Equal("An Peeters", ring.DisplayName(person));
        Assert.Equal("90073000296", ring.Insz(person).Value);
        // The source's ring cannot read the target's values: they were re-encrypted, not copied.
        Assert.Throws<FieldDecryptionException>(() => sourceRing.DisplayName(person));
        Assert.Null(await db.People.AsNoTracking().FindByInszAsync(ring, Insz.Parse("01010112369"), Cancel));
    }

    [Fact]
    public async Task A_people_file_in_the_stored_layout_is_refused_even_when_correctly_sealed()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        await using var target = await EmptyDatabaseAsync();
        var (_, targetRing) = await OtherProviderAsync(target);
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);
        var export = await new Exporter(source.ConnectionString, await SourceRingAsync(source), TimeProvider.System, TextWriter.Null)
            .ExportAsync(_directory, publicKey, Cancel);

        // What an export from before encryption at rest looked like: layout 1, the stored columns. Re-sealed with the
        // export's key and a matching manifest, so only the layout check can refuse it.
        var people = export.Manifest.Files.Single(f => f.Entity == "people");
        var lines = await DecryptedLinesAsync(_directory, export.Manifest, people, privateKey);
        lines[0] = lines[0].Replace("\"layout\":2", "\"layout\":1", StringComparison.Ordinal);
        var plain = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var key = privateKey.Decrypt(Convert.FromBase64String(export.Manifest.WrappedKey), RSAEncryptionPadding.OaepSHA256);
        var path = Path.Combine(_directory, people.File);
        File.Delete(path);
        await using (var file = File.Create(path))
        using (var writer = new SealedFileWriter(file, key, people.File))
        {
            writer.Write(plain);
            writer.Complete();
        }

        var files = export.Manifest.Files
            .Select(f => f == people ? f with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(plain)), SealedBytes = new FileInfo(path).Length } : f)
            .ToList();
        await (export.Manifest with { Files = files }).WriteAsync(_directory, key, Cancel);

        var refused = await Assert.ThrowsAsync<ExitException>(() =>
            new ExitImporter(target.ConnectionString, targetRing, TextWriter.Null).ImportAsync(_directory, privateKey, Cancel));

        Assert.Contains("layout 2", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await AccessLogRows.ScalarAsync(target.ConnectionString, "SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task An_import_is_refused_into_a_non_empty_instance_and_with_an_altered_file_nothing_is_written()
    {
        await using var source = await TestDatabases.CreateAsync(Cancel);
        var sourceRing = await SourceRingAsync(source);
        await using var target = await EmptyDatabaseAsync();
        var (_, targetRing) = await OtherProviderAsync(target);
        using var publicKey = RecipientKey.Load(Keys.Value.Public, requirePrivate: false);
        using var privateKey = RecipientKey.Load(Keys.Value.Private, requirePrivate: true);
        var export = await new Exporter(source.ConnectionString, sourceRing, TimeProvider.System, TextWriter.Null).ExportAsync(_directory, publicKey, Cancel);

        var notEmpty = await Assert.ThrowsAsync<ExitException>(() =>
            new ExitImporter(source.ConnectionString, sourceRing, TextWriter.Null).ImportAsync(_directory, privateKey, Cancel));

        var last = export.Manifest.Files.Last(f => f.Rows > 0);
        var path = Path.Combine(_directory, last.File);
        var bytes = await File.ReadAllBytesAsync(path, Cancel);
        bytes[^20] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, Cancel);
        var altered = await Assert.ThrowsAsync<ExitException>(() =>
            new ExitImporter(target.ConnectionString, targetRing, TextWriter.Null).ImportAsync(_directory, privateKey, Cancel));

        Assert.Contains("not empty", notEmpty.Message, StringComparison.Ordinal);
        Assert.Contains("altered", altered.Message, StringComparison.Ordinal);
        Assert.Equal(await ScalarTextAsync(source.ConnectionString, SchemaSql), await ScalarTextAsync(target.ConnectionString, SchemaSql));
        Assert.Equal(0, await AccessLogRows.ScalarAsync(target.ConnectionString, "SELECT count(*) FROM people"));
        Assert.Equal(0, await AccessLogRows.ScalarAsync(target.ConnectionString, "SELECT count(*) FROM addresses"));
    }

    /// <summary>Every index and constraint of the public schema, as one text.</summary>
    private const string SchemaSql = """
        SELECT (SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public')
            || E'\n' || (SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\n' ORDER BY conname)
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace)
        """;

    private static async Task<KeyRing> SourceRingAsync(TestDatabase source) =>
        await KeyRing.LoadAsync(source.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);

    /// <summary>
    /// The next provider: its own KEK (a file KEK, not the source's SoftHSM token) and the data keys its migrate step
    /// makes on the empty database.
    /// </summary>
    private async Task<(IKeyEncryptionKey Kek, KeyRing Ring)> OtherProviderAsync(TestDatabase target)
    {
        var kek = KeyEncryptionKeys.Create(new EncryptionSettings
        {
            Provider = EncryptionSettings.FileProvider,
            DevelopmentKeyFile = Path.Combine(_otherProvider, "kek.bin"),
        }, "Development");
        return (kek, await DatabaseSetup.MigrateAsync(target.ConnectionString, kek, seedDemoData: false, Cancel));
    }

    private static async Task<Dictionary<Guid, Person>> PeopleAsync(string connectionString)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        return await db.People.AsNoTracking().ToDictionaryAsync(p => p.Id, Cancel);
    }

    private static async Task<Dictionary<Guid, DwellingShare>> SharesAsync(string connectionString)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        return await db.DwellingShares.AsNoTracking().ToDictionaryAsync(s => s.Id, Cancel);
    }

    private static async Task<string?> ScalarTextAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync(Cancel);
    }

    private static async Task<List<string>> DecryptedLinesAsync(string directory, ExportManifest manifest, ExportFile file, RSA privateKey)
    {
        var key = privateKey.Decrypt(Convert.FromBase64String(manifest.WrappedKey), RSAEncryptionPadding.OaepSHA256);
        await using var input = File.OpenRead(Path.Combine(directory, file.File));
        using var reader = new StreamReader(new SealedFileReader(input, key, file.File));
        return [.. (await reader.ReadToEndAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task<Guid> StoreDocumentAsync(string connectionString, KeyRing ring, byte[] document)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var find = new NpgsqlCommand("SELECT id FROM owner_documents ORDER BY id LIMIT 1", connection);
        var id = (Guid)(await find.ExecuteScalarAsync(Cancel))!;
        using var plain = new MemoryStream(document);
        await using var encrypted = ring.EncryptingStream(plain, document.Length,
            new FieldAddress(EncryptedColumns.DocumentContents.Table, EncryptedColumns.DocumentContents.Columns[0], id));
        using var stored = new MemoryStream();
        await encrypted.CopyToAsync(stored, Cancel);
        await using var insert = new NpgsqlCommand("INSERT INTO document_contents (document_id, content, sha256) VALUES ($1, $2, $3)", connection)
        {
            Parameters = { new() { Value = id }, new() { Value = stored.ToArray() }, new() { Value = SHA256.HashData(document) } },
        };
        await insert.ExecuteNonQueryAsync(Cancel);
        return id;
    }

    private static async Task<(byte[] Content, byte[] Sha256)> StoredDocumentAsync(string connectionString, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT content, sha256 FROM document_contents WHERE document_id = $1", connection)
        {
            Parameters = { new() { Value = id } },
        };
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        Assert.True(await reader.ReadAsync(Cancel));
        return (reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1));
    }

    private static byte[] Decrypt(KeyRing ring, byte[] content, Guid id)
    {
        using var stored = new MemoryStream(content);
        using var plain = ring.DecryptingStream(stored,
            new FieldAddress(EncryptedColumns.DocumentContents.Table, EncryptedColumns.DocumentContents.Columns[0], id));
        using var output = new MemoryStream();
        plain.CopyTo(output);
        return output.ToArray();
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
