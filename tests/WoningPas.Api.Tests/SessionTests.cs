using System.Net;
using Microsoft.EntityFrameworkCore;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>Sessions live on the server: a key in the cookie, an absolute end, an idle timeout, revocation.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private static readonly Uri Dwellings = new("/api/dwellings", UriKind.Relative);
    private readonly ApiFactory _api = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _api.InitializeAsync();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task A_session_is_a_row_on_the_server_and_the_cookie_only_its_key()
    {
        var before = await ActiveSessionsAsync(DemoData.CitizenAId);
        using var client = await _api.SignedInClientAsync("citizen-a");

        var cookie = SessionCookie(client);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Dwellings, Cancel)).StatusCode);
        Assert.Equal(before + 1, await ActiveSessionsAsync(DemoData.CitizenAId));
        // A protected session key is a few hundred characters; a whole ticket with the id token is thousands.
        Assert.InRange(cookie.Length, 1, 600);
    }

    [Fact]
    public async Task After_sign_out_the_same_cookie_opens_nothing()
    {
        using var client = await _api.SignedInClientAsync("citizen-a");
        var cookie = SessionCookie(client);
        client.DefaultRequestHeaders.Add("X-WoningPas-Csrf", "1");

        await client.PostAsync(new Uri("/account/logout", UriKind.Relative), null, Cancel);
        using var replay = _api.AnonymousClient();
        replay.DefaultRequestHeaders.Add("Cookie", cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync(Dwellings, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Thirty_minutes_without_a_request_end_the_session()
    {
        using var client = await _api.SignedInClientAsync("citizen-a");

        _api.Time.Advance(TimeSpan.FromMinutes(29));
        var active = await client.GetAsync(Dwellings, Cancel);
        _api.Time.Advance(TimeSpan.FromMinutes(31));
        var idle = await client.GetAsync(Dwellings, Cancel);

        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, idle.StatusCode);
    }

    [Fact]
    public async Task A_citizens_session_ends_after_eight_hours_however_active()
    {
        using var client = await _api.SignedInClientAsync("citizen-a");

        for (var minutes = 0; minutes < 7 * 60 + 40; minutes += 20)
        {
            _api.Time.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Dwellings, Cancel)).StatusCode);
        }

        _api.Time.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Dwellings, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_person()
    {
        using var laptop = await _api.SignedInClientAsync("citizen-a");
        using var phone = await _api.SignedInClientAsync("citizen-a");
        using var other = await _api.SignedInClientAsync("citizen-b");
        laptop.DefaultRequestHeaders.Add("X-WoningPas-Csrf", "1");

        var ended = await laptop.PostAsync(new Uri("/account/sessions/end-all", UriKind.Relative), null, Cancel);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync(Dwellings, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Dwellings, Cancel)).StatusCode);
        Assert.Equal(0, await ActiveSessionsAsync(DemoData.CitizenAId));
    }

    private string SessionCookie(HttpClient client) => _api.SessionCookieOf(client);

    private async Task<int> ActiveSessionsAsync(Guid subject)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(_api.ConnectionString));
        return await db.UserSessions.CountAsync(s => s.SubjectId == subject && s.RevokedAt == null, Cancel);
    }
}
