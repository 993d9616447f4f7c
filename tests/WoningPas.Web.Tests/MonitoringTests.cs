using System.Net;

namespace WoningPas.Web.Tests;

public sealed class MonitoringTests(WebFactory web) : IClassFixture<WebFactory>
{
    [Fact]
    public async Task The_cloud_host_has_no_metrics_endpoint_that_a_cdn_could_expose()
    {
        using var response = await web.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("http_server_request_duration", body, StringComparison.Ordinal);
    }
}
