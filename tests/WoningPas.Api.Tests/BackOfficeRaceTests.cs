using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// Saves that race on the same version: the read-and-compare in the request is not enough, the UPDATE's
/// <c>WHERE xmin = …</c> decides, so exactly one wins and every other one is a 412 with nothing written.
/// </summary>
public sealed class BackOfficeRaceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Of_many_simultaneous_saves_on_one_version_exactly_one_is_written()
    {
        using var first = await api.SignedInClientAsync("staff-energy");
        using var second = await api.SignedInClientAsync("staff-energy-2");
        var path = StaffApi.WithPurpose(new Uri($"/api/staff/dwellings/{DemoData.GentHouseId:D}/sections/epc", UriKind.Relative));
        var etag = (await first.GetAsync(path, TestContext.Current.CancellationToken)).Headers.ETag!.Tag;

        var saves = Enumerable.Range(0, 12).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, path)
            {
                Content = new StringContent($$"""{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":{{100 + i}},"issuedOn":"2019-03-01"}""",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            var response = await (i % 2 == 0 ? first : second).SendAsync(request, TestContext.Current.CancellationToken);
            return (i, response.StatusCode);
        });
        var results = await Task.WhenAll(saves);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var winner = results.Single(r => r.StatusCode == HttpStatusCode.OK).i;
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        var version = await db.SectionVersions.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(100 + winner, version.After.RootElement.GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal(100m + winner, (await db.EnergyCertificates.SingleAsync(c => c.DwellingId == DemoData.GentHouseId,
            TestContext.Current.CancellationToken)).PrimaryEnergyUse);
    }
}
