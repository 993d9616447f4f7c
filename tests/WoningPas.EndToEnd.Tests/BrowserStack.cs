using Microsoft.Playwright;
using WoningPas.DevHost;
using WoningPas.Testing;

namespace WoningPas.EndToEnd.Tests;

/// <summary>
/// One stack and one browser for every browser test class: starting them is the slow part, and classes that share
/// them run one after the other instead of competing for the machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserStack>
{
    public const string Name = "browser";
}

/// <summary>
/// The whole product as a user meets it: Api, Web and the edge on real loopback ports against real PostgreSQL, and
/// the system's Chromium driven by Playwright (its own browser downloads are not available here).
/// </summary>
public sealed class BrowserStack : IAsyncLifetime
{
    private TestDatabase? _database;
    private DevStack? _stack;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri EdgeUrl => _stack?.EdgeUrl ?? throw new InvalidOperationException("Not started.");

    /// <summary>The identity stand-in of the stack: its users' password, its issuers.</summary>
    public WoningPas.IdentityProvider.StandInIdentityProvider Identity =>
        _stack?.Identity ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabases.CreateAsync();
        // Uploads are scanned by the stack's own clamd, which knows the EICAR test file, as in the local run.
        _stack = await DevStack.StartAsync(
            new DevStackOptions(_database.AppConnectionString, "http://127.0.0.1:0", RepositoryRoot.Find()),
            CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // Chromium's sandbox cannot start as root, which is how CI runs.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static string ChromiumPath()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("WONINGPAS_CHROMIUM"),
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        };
        return candidates.FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path))
            ?? throw new InvalidOperationException("No Chromium found: install the chromium package (./build.sh test does).");
    }
}
