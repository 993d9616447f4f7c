using System.Net;
using System.Text.Json;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class ApiDocumentationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri Document = new("/api/openapi/v1.json", UriKind.Relative);

    [Fact]
    public async Task Development_serves_an_openapi_document_that_describes_the_passport_endpoints()
    {
        await using var development = new ApiFactory { EnvironmentName = "Development" };
        await development.InitializeAsync();
        using var client = development.AnonymousClient();

        var response = await client.GetAsync(Document, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/dwellings", out _));
        Assert.True(paths.TryGetProperty("/api/dwellings/{id}/passport", out _));
        Assert.True(paths.TryGetProperty("/api/dwellings/{id}/passport/{section}", out _));
        Assert.True(paths.TryGetProperty("/api/me/reminders", out _));
        var passport = paths.GetProperty("/api/dwellings/{id}/passport").GetProperty("get").GetProperty("responses");
        Assert.True(passport.TryGetProperty("200", out _));
    }

    [Fact]
    public async Task Production_does_not_describe_itself()
    {
        // The fixture runs as deployed: Production.
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(Document, TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"paths\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }
}
