using System.Net;
using System.Text.RegularExpressions;

namespace WoningPas.Api.Tests;

/// <summary>Drives the back-office forms as a browser does: GET the page, take its antiforgery token, POST the form.</summary>
internal static partial class StaffPages
{
    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {html}");
        return Token(html);
    }

    public static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The form carries no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient client, string path,
        IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>GET the form, then POST it with its token and the given fields.</summary>
    public static async Task<(HttpStatusCode Status, string Html)> SubmitAsync(HttpClient client, string path,
        params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(client, path);
        return await PostAsync(client, path,
            [new("__staffToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
    }

    [GeneratedRegex("""name="__staffToken" type="hidden" value="([^"]+)"|type="hidden" name="__staffToken" value="([^"]+)""")]
    private static partial Regex TokenPattern();
}
