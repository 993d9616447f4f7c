using System.Diagnostics;
using System.Net;

namespace WoningPas.Edge.Tests;

/// <summary>
/// The country allow-list (BE, NL, LU, FR, DE by default) on Debian's GeoIP country database: decided on the client
/// address, or on X-Forwarded-For only when a trusted proxy (127.0.0.1 here) sends it.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class CountryFilterTests(EdgeFixture fixture)
{
    [Theory]
    [InlineData("81.82.0.1", "BE")]
    [InlineData("145.0.0.1", "NL")]
    [InlineData("2.0.0.1", "FR")]
    [InlineData("8.8.8.8", "US")]
    [InlineData("5.1.1.1", "UA")]
    public async Task The_test_addresses_are_in_the_countries_the_database_says(string address, string country)
    {
        using var lookup = Process.Start(new ProcessStartInfo("geoiplookup", [address]) { RedirectStandardOutput = true })!;
        var output = await lookup.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await lookup.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Contains($": {country},", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("81.82.0.1")]
    [InlineData("145.0.0.1")]
    [InlineData("2.0.0.1")]
    public async Task An_allowed_country_gets_the_page(string address)
    {
        using var client = fixture.Client();

        using var response = await client.SendAsync("/en", r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", address));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("8.8.8.8", "/")]
    [InlineData("5.1.1.1", "/en/faq")]
    [InlineData("81.82.0.1, 8.8.8.8", "/woningpas")]
    public async Task A_denied_country_gets_a_clear_403_page_and_reaches_no_origin(string forwardedFor, string page)
    {
        var path = $"{page}?t={Guid.NewGuid():N}";
        using var client = fixture.Client();

        using var response = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor));
        var body = await response.TextAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("WoningPas is niet beschikbaar vanuit uw land", body, StringComparison.Ordinal);
        Assert.Contains("not available from your country", body, StringComparison.Ordinal);
        Assert.StartsWith("text/html", response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Empty(fixture.WebLog.For(path));
    }

    [Fact]
    public async Task A_denied_country_gets_problem_json_on_an_api_path()
    {
        var path = $"/api/dwellings?t={Guid.NewGuid():N}";
        using var client = fixture.Client();

        using var response = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", "8.8.8.8"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("country-not-allowed", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Empty(fixture.ApiLog.For(path));
    }

    [Fact]
    public async Task X_forwarded_for_from_an_untrusted_address_is_ignored()
    {
        // 127.0.0.2 is not a trusted proxy: its claim to forward for a US address is not believed, and the request is
        // judged on 127.0.0.2 itself (this machine).
        using var untrusted = fixture.Client(IPAddress.Parse("127.0.0.2"));
        using var trusted = fixture.Client();

        using var claimed = await untrusted.SendAsync("/en", r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", "8.8.8.8"));
        using var believed = await trusted.SendAsync("/en", r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", "8.8.8.8"));

        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, believed.StatusCode);
    }

    [Fact]
    public async Task The_api_learns_the_real_client_address_and_the_scheme_the_edge_was_reached_by()
    {
        var path = $"/api/me/reminders?t={Guid.NewGuid():N}";
        using var client = fixture.Client();

        // A client's own X-Forwarded-Proto is replaced: the edge says how it was reached (https behind its TLS).
        using var response = await client.SendAsync(path, r =>
        {
            r.Headers.TryAddWithoutValidation("X-Forwarded-For", "81.82.0.1");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        });
        var echoed = await response.TextAsync();

        Assert.Contains("\"forwardedFor\":\"81.82.0.1\"", echoed, StringComparison.Ordinal);
        Assert.Contains("\"forwardedProto\":\"http\"", echoed, StringComparison.Ordinal);
    }
}
