using System.Net;
using System.Net.Http.Json;
using WoningPas.Integrations.Caching;

namespace WoningPas.Integrations.Registries;

/// <summary>The GET every registry client makes: JSON on 200, nothing on 404 where "none" is an answer, else a failure.</summary>
internal static class RegistryHttp
{
    public static async Task<T?> GetAsync<T>(HttpClient http, string path, bool notFoundIsNone, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (notFoundIsNone && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
            ?? throw new RegistryAnswerException($"{http.BaseAddress} answered an empty body for {path}.");
    }
}
