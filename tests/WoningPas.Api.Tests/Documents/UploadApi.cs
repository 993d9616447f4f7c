using System.Net.Http.Headers;
using Npgsql;
using WoningPas.Api.Infrastructure;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// The Api in memory with a real clamd of its own, a 1 MiB upload limit and a private spool directory, so that a test
/// can see that a refused upload leaves no file behind.
/// </summary>
public sealed class UploadApi : IAsyncLifetime
{
    public const long MaxBytes = 1024 * 1024;

    private PrivateClamd? _clamd;
    private ApiFactory? _api;

    public PrivateClamd Clamd => _clamd ?? throw new InvalidOperationException("Started in InitializeAsync.");

    public ApiFactory Api => _api ?? throw new InvalidOperationException("Started in InitializeAsync.");

    public string SpoolDirectory { get; } =
        Directory.CreateTempSubdirectory("woningpas-spool-").FullName;

    public async ValueTask InitializeAsync()
    {
        _clamd = await PrivateClamd.StartAsync();
        _api = new ApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Documents:Clamd:Endpoint"] = _clamd.Endpoint,
                ["Documents:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Documents:SpoolDirectory"] = SpoolDirectory,
            },
        };
        await _api.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_clamd is not null)
        {
            await _clamd.DisposeAsync();
        }

        Directory.Delete(SpoolDirectory, recursive: true);
    }
}

internal static class Uploads
{
    public static Uri UploadUri(Guid dwellingId, string title = "Factuur", string? fileName = "factuur.pdf") =>
        new($"/api/dwellings/{dwellingId}/documents?title={Uri.EscapeDataString(title)}" +
            (fileName is null ? string.Empty : $"&fileName={Uri.EscapeDataString(fileName)}"), UriKind.Relative);

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, Guid dwellingId, byte[] content,
        string contentType = "application/pdf", string title = "Factuur", string? fileName = "factuur.pdf")
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadUri(dwellingId, title, fileName)) { Content = body };
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Documents and contents stored for a dwelling, straight from the database.</summary>
    public static async Task<(long Documents, long Contents)> CountAsync(string connectionString, Guid dwellingId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM owner_documents WHERE dwelling_id = $1), " +
            "(SELECT count(*) FROM document_contents)", connection)
        {
            Parameters = { new() { Value = dwellingId } },
        };
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
