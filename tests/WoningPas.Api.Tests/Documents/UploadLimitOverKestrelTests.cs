using System.Globalization;
using System.Net.Sockets;
using System.Text;
using WoningPas.Api.Infrastructure;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>The Api on real Kestrel, for the one test that needs real sockets.</summary>
public sealed class KestrelApi : IAsyncLifetime
{
    public const long MaxBytes = 1024 * 1024;

    public ApiFactory Api { get; } = new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Documents:MaxBytes"] = MaxBytes.ToString(CultureInfo.InvariantCulture),
        },
    };

    public async ValueTask InitializeAsync()
    {
        await Api.InitializeAsync();
        Api.UseKestrel(0);
        Api.StartServer();
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// A chunked upload of 256 MiB, written by hand on a socket, against a 1 MiB limit: the 413 must arrive while the
/// client is still sending, after little more than the limit has been sent. That is only possible when the server
/// looks at the bytes as they come instead of receiving the body first.
/// </summary>
public sealed class UploadLimitOverKestrelTests(KestrelApi kestrel) : IClassFixture<KestrelApi>
{
    private const long Offered = 256L * 1024 * 1024;

    [Fact]
    public async Task An_oversized_chunked_upload_is_refused_while_it_is_still_being_sent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = kestrel.Api.CreateClient();
        var server = http.BaseAddress!;
        var cookie = await kestrel.Api.SessionCookieForAsync("citizen-a");

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancellationToken);
        var stream = tcp.GetStream();
        var head = $"POST /api/dwellings/{DemoData.GentHouseId}/documents?title=Groot HTTP/1.1\r\n" +
                   $"Host: {server.Authority}\r\nCookie: {cookie}\r\n{CsrfHeaderCheck.HeaderName}: 1\r\n" +
                   "Content-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);

        var reading = ReadStatusLineAsync(stream, cancellationToken);
        var chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string('x', 0x10000) + "\r\n");
        long sent = 0;
        while (sent < Offered && !reading.IsCompleted)
        {
            try
            {
                await stream.WriteAsync(chunk, cancellationToken);
                sent += 0x10000;
            }
            catch (IOException)
            {
                // The server closed the connection after its answer.
                break;
            }
        }

        var status = await reading.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"413 after {sent} of {Offered} bytes sent");
        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        // 16 MiB leaves room for the socket buffers of loopback (6 MiB measured) and stays well under Kestrel's own
        // default of 30 MB, so only the upload limit itself can pass this.
        Assert.True(sent < 16 * 1024 * 1024, $"The client sent {sent} of {Offered} bytes before the 413 arrived.");
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != (byte)'\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString().TrimEnd('\r');
    }
}
