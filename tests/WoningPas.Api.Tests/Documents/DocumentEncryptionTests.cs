using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using WoningPas.Api.Documents;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// Document contents at rest, against real PostgreSQL, SoftHSM2 and clamd: the stored bytes are chunked AES-GCM
/// bound to the document id, a content moved to another document is refused before a byte leaves, and a key rotation
/// moves every content to the new version while downloads keep working.
/// </summary>
public sealed class DocumentEncryptionTests(UploadApi fixture) : IClassFixture<UploadApi>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static byte[] PdfOf(int length) => TestDocuments.CleanPdfOfLength(length);

    private async Task<(Guid Id, Uri Location)> UploadAsync(HttpClient client, byte[] pdf)
    {
        var upload = await client.UploadAsync(Gent, pdf);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var created = await upload.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return (created.GetProperty("id").GetGuid(), upload.Headers.Location!);
    }

    private async Task<byte[]> StoredAsync(Guid documentId)
    {
        await using var connection = new NpgsqlConnection(fixture.Api.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT content FROM document_contents WHERE document_id = $1", connection)
        {
            Parameters = { new() { Value = documentId } },
        };
        return (byte[])(await command.ExecuteScalarAsync(Cancel))!;
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(3 * ChunkedContent.ChunkSize)]
    [InlineData((3 * ChunkedContent.ChunkSize) + 17)]
    public async Task The_stored_content_is_ciphertext_and_the_download_returns_the_original(int length)
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var pdf = PdfOf(length);

        var (id, location) = await UploadAsync(client, pdf);

        var stored = await StoredAsync(id);
        Assert.Equal(ChunkedContent.EncryptedLength(pdf.Length), stored.Length);
        Assert.Equal(KeyRing.Format, stored[0]);
        Assert.True(KeyRing.VersionOf(stored) > 0);
        Assert.Equal(-1, stored.AsSpan().IndexOf("%PDF"u8));
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.ASCII.GetBytes("/Type /Catalog")));
        Assert.Equal(-1, stored.AsSpan().IndexOf(pdf.AsSpan(length - 40, 40)));

        var download = await client.GetAsync(location, Cancel);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task A_content_copied_to_another_document_is_refused_with_a_problem_and_no_bytes()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var (source, _) = await UploadAsync(client, PdfOf(2_000));
        var (target, location) = await UploadAsync(client, PdfOf(2_000));
        await using (var connection = new NpgsqlConnection(fixture.Api.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var copy = new NpgsqlCommand(
                "UPDATE document_contents SET content = (SELECT content FROM document_contents WHERE document_id = $1), " +
                "sha256 = (SELECT sha256 FROM document_contents WHERE document_id = $1) WHERE document_id = $2", connection)
            {
                Parameters = { new() { Value = source }, new() { Value = target } },
            };
            Assert.Equal(1, await copy.ExecuteNonQueryAsync(Cancel));
        }

        var download = await client.GetAsync(location, Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, download.StatusCode);
        Assert.Equal("application/problem+json", download.Content.Headers.ContentType?.MediaType);
        var problem = await download.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(DocumentProblemTypes.Undecryptable, problem.GetProperty("type").GetString());
        Assert.Null(download.Content.Headers.ContentDisposition);

        // The planted row cannot be re-encrypted by a rotation (it does not decrypt), so it must not outlive this test.
        await using var cleanup = new NpgsqlConnection(fixture.Api.ConnectionString);
        await cleanup.OpenAsync(Cancel);
        await using var delete = new NpgsqlCommand("DELETE FROM document_contents WHERE document_id = $1", cleanup)
        {
            Parameters = { new() { Value = target } },
        };
        await delete.ExecuteNonQueryAsync(Cancel);
    }

    [Fact]
    public async Task After_a_rotation_no_content_is_under_the_old_version_and_downloads_still_work()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var pdf = PdfOf(60_000);
        var (id, location) = await UploadAsync(client, pdf);
        var before = KeyRing.VersionOf(await StoredAsync(id));

        int active;
        await using (var connection = new NpgsqlConnection(fixture.Api.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            active = await KeyStore.AddVersionAsync(connection, TestKeys.Kek, TimeProvider.System, Cancel);
        }

        var ring = await KeyRing.LoadAsync(fixture.Api.ConnectionString, TestKeys.Kek, TimeProvider.System, Cancel);
        var rewritten = await new ReEncryption(fixture.Api.ConnectionString, ring, TextWriter.Null).RunAsync(plaintextOnly: false, Cancel);

        Assert.NotEqual(before, active);
        Assert.True(rewritten >= 1);
        Assert.Equal(active, KeyRing.VersionOf(await StoredAsync(id)));
        var counts = await ReEncryption.CountAsync(fixture.Api.ConnectionString, Cancel);
        var contents = counts.Where(c => c.Table == "document_contents").ToList();
        Assert.NotEmpty(contents);
        Assert.All(contents, c => Assert.Equal(active, c.Version));
        var download = await client.GetAsync(location, Cancel);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Cancel));
    }
}
