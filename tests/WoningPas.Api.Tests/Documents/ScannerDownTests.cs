using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using WoningPas.Api.Documents;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// Two Apis: one whose real clamd is stopped under it, one whose "clamd" accepts the connection and then never
/// answers. Both must refuse a clean document with 503 and store nothing: no verdict is never a pass.
/// </summary>
public sealed class ScannerDownFixture : IAsyncLifetime
{
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];

    public PrivateClamd Clamd { get; private set; } = null!;

    public ApiFactory WithClamd { get; private set; } = null!;

    public ApiFactory WithSilentScanner { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Clamd = await PrivateClamd.StartAsync();
        WithClamd = new ApiFactory { Settings = new Dictionary<string, string?> { ["Documents:Clamd:Endpoint"] = Clamd.Endpoint } };
        await WithClamd.InitializeAsync();

        _silent.Start();
        _ = HoldConnectionsAsync();
        var port = ((IPEndPoint)_silent.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        WithSilentScanner = new ApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Documents:Clamd:Endpoint"] = $"tcp://127.0.0.1:{port}",
                ["Documents:Clamd:TimeoutSeconds"] = "1",
            },
        };
        await WithSilentScanner.InitializeAsync();
    }

    /// <summary>Accepts and keeps every connection open, reading nothing and answering nothing.</summary>
    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _held.Add(await _silent.AcceptTcpClientAsync(_stop.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped at dispose.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _silent.Stop();
        _held.ForEach(c => c.Dispose());
        _stop.Dispose();
        await WithClamd.DisposeAsync();
        await WithSilentScanner.DisposeAsync();
        await Clamd.DisposeAsync();
    }
}

public sealed class ScannerDownTests(ScannerDownFixture fixture) : IClassFixture<ScannerDownFixture>
{
    private static readonly Guid Gent = DemoData.GentHouseId;

    [Fact]
    public async Task With_clamd_stopped_a_clean_pdf_is_refused_with_503_and_nothing_is_stored()
    {
        using var client = await fixture.WithClamd.SignedInClientAsync("citizen-a");
        var accepted = await client.UploadAsync(Gent, TestDocuments.CleanPdf());
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var before = await Uploads.CountAsync(fixture.WithClamd.ConnectionString, Gent);

        await fixture.Clamd.DisposeAsync();
        var response = await client.UploadAsync(Gent, TestDocuments.CleanPdf());

        await AssertNotScannedAsync(response, "could not be reached");
        Assert.Equal(before, await Uploads.CountAsync(fixture.WithClamd.ConnectionString, Gent));
    }

    [Fact]
    public async Task A_scanner_that_never_answers_times_out_into_503_and_nothing_is_stored()
    {
        using var client = await fixture.WithSilentScanner.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.WithSilentScanner.ConnectionString, Gent);

        var response = await client.UploadAsync(Gent, TestDocuments.CleanPdf());

        await AssertNotScannedAsync(response, "did not answer in time");
        Assert.Equal(before, await Uploads.CountAsync(fixture.WithSilentScanner.ConnectionString, Gent));
    }

    private static async Task AssertNotScannedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(DocumentProblemTypes.NotScanned, problem.GetProperty("type").GetString());
        Assert.Equal("The document could not be scanned", problem.GetProperty("title").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
