using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WoningPas.Web.Tests;

/// <summary>The Web in memory, as in production: no developer exception page, wwwroot from the project.</summary>
public sealed class WebFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Production");

    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestHeaders>? headers = null,
        HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(path, UriKind.Relative));
        headers?.Invoke(request.Headers);
        return await Client().SendAsync(request, TestContext.Current.CancellationToken);
    }
}

internal static class ResponseHeaders
{
    /// <summary>A header exactly as sent, content headers included, not as HttpClient re-formats it.</summary>
    public static string? Raw(this HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values)
        || response.Content.Headers.NonValidated.TryGetValues(name, out values)
            ? values.ToString()
            : null;

    public static bool Has(this HttpResponseMessage response, string name) =>
        response.Headers.Contains(name) || response.Content.Headers.Contains(name);
}
