using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WoningPas.Data.Demo;
using WoningPas.DevHost;
using WoningPas.Testing;

namespace WoningPas.EndToEnd.Tests;

/// <summary>
/// The local run's composition scans uploads: <c>./build.sh run</c> once started no virus scanner, so every upload a
/// newcomer tried was refused with 503. The stack as the DevHost starts it (its own clamd included), reached through
/// its edge over HTTP like a browser, stores a clean document and refuses the EICAR test file by name.
/// </summary>
public sealed class LocalRunUploadTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private DevStack? _stack;

    // Keeps the session cookie between the sign-in and the uploads, like a browser.
    // Cookies by hand: .NET's CookieContainer refuses a cookie whose Path is not a prefix of the answering URL, and the
    // sign-in's correlation cookies are set by /account/login for the callback's path.
    private readonly HttpClientHandler _cookies = new() { AllowAutoRedirect = false, UseCookies = false };

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabases.CreateAsync();
        _stack = await DevStack.StartAsync(
            new DevStackOptions(_database.AppConnectionString, "http://127.0.0.1:0", RepositoryRoot.Find()),
            CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _cookies.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_stacks_own_clamd_answers_and_uploads_through_the_edge_are_scanned_not_refused()
    {
        using var client = await SignedInAsync("citizen-a");

        using var clean = await UploadAsync(client, TestPdf.Clean());
        using var infected = await UploadAsync(client, LocalClamd.EicarTestFile);

        Assert.Equal("PONG", await _stack!.Clamd.CommandAsync("PING", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Created, clean.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, infected.StatusCode);
        using var problem = JsonDocument.Parse(await infected.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(LocalClamd.EicarSignatureName, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInAsync(string persona)
    {
        var client = new HttpClient(_cookies, disposeHandler: false)
        {
            BaseAddress = _stack!.EdgeUrl,
        };
        // The shortcut runs the whole code flow at the stand-in: follow it hop by hop to the landing page.
        var next = new Uri(_stack.EdgeUrl, $"/account/dev-login?persona={persona}&returnUrl=/woningpas");
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var hop = 0; hop < 8 && next.AbsolutePath != "/account/signed-in"; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            if (next.Authority == _stack.EdgeUrl.Authority && jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            }

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            if (next.Authority == _stack.EdgeUrl.Authority && response.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                foreach (var pair in cookies.Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)].Split('=', 2)))
                {
                    jar[pair[0]] = pair[1];
                }
            }

            next = new Uri(next, response.Headers.Location!);
        }

        Assert.Equal("/account/signed-in", next.AbsolutePath);
        client.DefaultRequestHeaders.Add("Cookie", $"woningpas-session={jar["woningpas-session"]}");
        return client;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("application/pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri($"/api/dwellings/{DemoData.GentHouseId}/documents?title=Factuur&fileName=factuur.pdf", UriKind.Relative))
        {
            Content = body,
        };
        request.Headers.Add("X-WoningPas-Csrf", "1");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
