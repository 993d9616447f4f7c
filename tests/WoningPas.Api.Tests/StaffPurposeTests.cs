using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// Staff say why on every page and every API call: a purpose that is missing, too long for the log's column or holds
/// control characters is refused with a message, and nothing is read, written or logged.
/// </summary>
public sealed partial class StaffPurposeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static readonly string Epc = $"/api/staff/dwellings/{Gent:D}/sections/epc";
    private const string Edit = """{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":111,"issuedOn":"2019-03-01"}""";

    /// <summary>
    /// The refused purposes by name, so that the test names stay readable. A NUL is tried on the API only: a form post
    /// that holds one is refused by the framework's form reader (400) before the page runs.
    /// </summary>
    private static string? Bad(string kind) => kind switch
    {
        "missing" => null,
        "blank" => "    ",
        "too-short" => "abc",
        "too-long" => "Dossier " + new string('9', AccessLogColumns.Purpose),
        "line-break" => "Dossier 2026/7\nen nog iets",
        "nul" => "Dossier 2026/7\0",
        "bidi-override" => "Dossier \u202E7/6202",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("missing")]
    [InlineData("blank")]
    [InlineData("too-long")]
    [InlineData("line-break")]
    [InlineData("nul")]
    [InlineData("bidi-override")]
    public async Task The_staff_api_refuses_a_call_without_a_valid_purpose_and_reads_and_writes_nothing(string kind)
    {
        using var editor = await api.SignedInClientAsync("staff-energy");
        var etag = (await editor.GetAsync(new Uri(StaffApi.WithPurpose(Epc), UriKind.Relative), TestContext.Current.CancellationToken))
            .Headers.ETag!.Tag;
        var path = Bad(kind) is { } purpose ? $"{Epc}?purpose={Uri.EscapeDataString(purpose)}" : Epc;
        var before = await LastLogIdAsync();

        var read = await editor.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var write = await SendAsync(editor, HttpMethod.Put, path, etag, Edit);
        var undo = await SendAsync(editor, HttpMethod.Post, path.Replace("/epc", "/epc/versions/1/undo", StringComparison.Ordinal), etag, null);

        foreach (var response in new[] { read, write, undo })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));
        }

        await AssertNothingWrittenAsync(before);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("too-short")]
    [InlineData("too-long")]
    [InlineData("line-break")]
    [InlineData("bidi-override")]
    public async Task The_edit_page_refuses_a_save_without_a_valid_doel_in_dutch_and_writes_nothing(string kind)
    {
        using var editor = await api.SignedInClientAsync("staff-energy");
        var form = await editor.GetStringAsync(new Uri($"/staff/dossiers/{Gent:D}/epc?doel=Dossier%202026%2F7", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var version = VersionField().Match(form).Groups[1].Value;
        var before = await LastLogIdAsync();
        List<KeyValuePair<string, string>> fields = [new("__staffToken", StaffPages.Token(form)), new("Version", version),
            new("SeenVersionId", "0"), new("sourceReference", "EPC-2019-0001234"), new("primaryEnergyUse", "111"), new("issuedOn", "2019-03-01")];
        if (Bad(kind) is { } doel)
        {
            fields.Add(new("doel", doel));
        }

        var (status, html) = await StaffPages.PostAsync(editor, $"/staff/dossiers/{Gent:D}/epc", fields);
        var (askStatus, ask) = await GetAsync(editor, $"/staff/dossiers/{Gent:D}/epc/geschiedenis");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(Regex.IsMatch(html, "Geef het doel in 5 tot 200 tekens|Het doel mag geen stuurtekens bevatten"), html);
        Assert.Contains("href=\"#veld-purpose\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("De wijziging is opgeslagen", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, askStatus);
        Assert.Contains("Doel van de inzage", ask, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(before);
    }

    [Fact]
    public async Task A_staff_api_read_and_attachment_carry_the_callers_purpose_and_not_a_default()
    {
        using var editor = await api.SignedInClientAsync("staff-waste");
        var before = await LastLogIdAsync();

        var read = await editor.GetAsync(new Uri(StaffApi.WithPurpose($"/api/staff/dwellings/{Gent:D}/sections/asbestos"), UriKind.Relative),
            TestContext.Current.CancellationToken);
        using var attach = new HttpRequestMessage(HttpMethod.Post, new Uri(
            $"/api/staff/dwellings/{Gent:D}/sections/asbestos/attachments?title=Attest&fileName=attest.pdf", UriKind.Relative))
        {
            Content = new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray()),
        };
        attach.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        var attached = await editor.SendAsync(attach, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, attached.StatusCode);
        var problem = await attached.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));
        var entry = Assert.Single(await EntriesAfterAsync(before));
        Assert.Equal((AccessAction.Read, StaffApi.Purpose), (entry.Action, entry.Purpose));
    }

    [Fact]
    public async Task A_search_by_national_register_number_is_logged_with_its_purpose_and_one_with_control_characters_is_refused()
    {
        using var editor = await api.SignedInClientAsync("staff-energy");
        var before = await LastLogIdAsync();

        var (refused, refusedHtml) = await StaffPages.SubmitAsync(editor, "/staff", ("Query", "90073000296"), ("Purpose", "Dossier\t2026/8"));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("Het doel mag geen stuurtekens bevatten", refusedHtml, StringComparison.Ordinal);
        Assert.Empty(await EntriesAfterAsync(before));

        var (status, html) = await StaffPages.SubmitAsync(editor, "/staff", ("Query", "900730-002.96"), ("Purpose", "Dossier 2026/8"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("90073000296", html, StringComparison.Ordinal);
        var entries = await EntriesAfterAsync(before);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal((AccessAction.Search, "insz", "Dossier 2026/8"), (e.Action, e.ObjectId, e.Purpose)));
        Assert.All(entries, e => Assert.DoesNotContain("90073000296", string.Join('|', e.ObjectId, e.Purpose, e.ObjectKind), StringComparison.Ordinal));
    }

    private async Task AssertNothingWrittenAsync(long before)
    {
        await using var db = Db();
        Assert.False(await db.AccessLog.AnyAsync(e => e.Id > before, TestContext.Current.CancellationToken));
        Assert.False(await db.SectionVersions.AnyAsync(v => v.DwellingId == Gent, TestContext.Current.CancellationToken));
        Assert.NotEqual(111m, (await db.EnergyCertificates.AsNoTracking().SingleAsync(c => c.DwellingId == Gent,
            TestContext.Current.CancellationToken)).PrimaryEnergyUse);
    }

    private static async Task<(HttpStatusCode, string)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string etag, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private WoningPasDbContext Db() => new(DatabaseRegistration.CreateOptions(api.ConnectionString));

    private async Task<long> LastLogIdAsync()
    {
        await using var db = Db();
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }

    private async Task<List<AccessLogEntry>> EntriesAfterAsync(long id)
    {
        await using var db = Db();
        return await db.AccessLog.AsNoTracking().Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();
}
