using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using WoningPas.Api.Sharing;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// Whatever a client sends as a share request, the answer is a share or a problem that names the field, never an
/// exception: first against the parser alone (many cases), then through the running Api (fewer, each a request).
/// </summary>
public sealed class ShareRequestPropertyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static Gen<string> Consts(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string> FieldName =
        Gen.OneOf(Consts("sections", "recipientEmail", "link", "expiresOn", "Sections", ""), Gen.String[0, 8]);

    private static readonly Gen<string> AnyJsonValue = Gen.Recursive<string>((depth, value) => Gen.OneOf(
        Gen.Const("null"), Gen.Const("true"), Gen.Const("false"), Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e999"),
        Gen.String.Select(s => JsonSerializer.Serialize(s)),
        Consts("\"epc\"", "\"2027-01-01\"", "\"2026-02-30\"", "\"a@b.example\"", "\"\"", "\"\\u0000\""),
        depth < 3 ? value.Array[0, 4].Select(items => "[" + string.Join(',', items) + "]") : Gen.Const("[]"),
        depth < 3 ? Gen.Select(FieldName, value).Array[0, 5]
            .Select(fields => "{" + string.Join(',', fields.Select(f => JsonSerializer.Serialize(f.Item1) + ":" + f.Item2)) + "}")
            : Gen.Const("{}")));

    /// <summary>Objects with the real fields and plausible-to-silly values, plus raw text that is not JSON at all.</summary>
    private static readonly Gen<string> Body = Gen.Frequency(
        (4, Gen.Select(
                Gen.OneOf(Gen.Const("[\"epc\"]"), Gen.Const("[\"epc\",\"soil\"]"), Gen.Const("[]"), AnyJsonValue),
                Gen.OneOf(Gen.Const("\"koper@voorbeeld.example\""), Gen.Const("null"), AnyJsonValue),
                Gen.OneOf(Gen.Const("true"), Gen.Const("false"), AnyJsonValue),
                Gen.OneOf(Gen.Const("\"2027-01-01\""), Gen.Const("\"2028-01-01\""), AnyJsonValue),
                Gen.Bool.Array[4])
            .Select((sections, email, link, expires, keep) => "{" + string.Join(',', new[]
            {
                keep[0] ? "\"sections\":" + sections : null,
                keep[1] ? "\"recipientEmail\":" + email : null,
                keep[2] ? "\"link\":" + link : null,
                keep[3] ? "\"expiresOn\":" + expires : null,
            }.Where(f => f is not null)) + "}")),
        (2, AnyJsonValue),
        (1, Gen.String),
        (1, Gen.Byte.Array[0, 64].Select(bytes => Encoding.Latin1.GetString(bytes))));

    [Fact]
    public void The_parser_answers_a_request_or_field_errors_for_any_body()
    {
        Body.Sample(json =>
        {
            var request = ShareRequestParser.Parse(Encoding.UTF8.GetBytes(json), Today, out var errors);
            Assert.True(request is not null ^ errors.Count > 0, json);
            if (request is not null)
            {
                Assert.NotEmpty(request.Sections);
                Assert.InRange(request.ExpiresOn, Today, Today.AddYears(1));
            }
        }, iter: 20_000);
    }

    [Fact]
    public async Task The_api_never_answers_a_share_request_with_a_server_error()
    {
        using var holder = await SharingTests.HolderAsync(api);
        var uri = new Uri($"/api/dwellings/{DemoData.GentHouseId}/shares", UriKind.Relative);

        await Body.SampleAsync(async json =>
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await holder.PostAsync(uri, content, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode} for {json}");
        }, iter: 300, threads: 1);
    }
}
