using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Sharing;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Data.Sharing;
using WoningPas.Simulators.Permits;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public enum Persona
{
    Anonymous,
    Holder,
    OtherCitizen,
    ThirdPartyWithShare,
    ThirdPartyWithoutShare,
    ThirdPartyExpiredShare,
    ThirdPartyRevokedShare,
    LinkWithShare,
    LinkExpired,
    LinkRevoked,
    StaffOfOwningAgency,
    StaffOfOtherAgency,
    Auditor,
    MachineWithScope,
    MachineWithoutScope,
}

/// <summary>
/// Every kind of caller against every Api endpoint, on citizen-a's Gent house: the status code, that nothing personal
/// leaks beyond what the caller may see, and that a request that reached an endpoint left exactly one access-log
/// entry. The expected codes are written out by hand, one row per endpoint, one column per persona (in the order of
/// <see cref="Persona"/>), so that the table itself is the specification.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static readonly Guid RevocableShareId = Guid.Parse("5a000000-0000-4000-8000-0000000000aa");
    private static readonly Guid LinkShareId = Guid.Parse("5a000000-0000-4000-8000-0000000000bb");
    private static readonly Guid MachineClientId = ApiFactory.NotaryClientId;
    private static readonly string LinkToken = ShareLinks.NewToken();

    // Personal values of the Gent house and its holder, and who may see them.
    private const string Address = "Kerkstraat";
    private const string EpcReference = "EPC-2019-0001234";
    private const string AsbestosReference = "ASB-2023-000451";
    // Permits live at the permit register: the simulator's answer for the Gent house's parcel.
    private static readonly string PermitReference = PermitsRegistry.For("44021A0123/00B000").Permits[0].Reference;
    private const string HolderInsz = "90073000296";
    private const string HolderName = "An Peeters";

    private sealed record Endpoint(string Method, string Path, string Codes, string? Body = null);

    //                                   Anon Hold Othr TP+  TP-  TPx  TPr  L+   Lx   Lr   StO  StX  Aud  M+   M-
    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["list dwellings"] = new("GET", "/api/dwellings",
                                         "401  200  200  200  200  200  200  403  401  401  403  403  403  403  403"),
        ["passport"] = new("GET", $"/api/dwellings/{Gent}/passport",
                                         "401  200  404  200  404  404  404  200  401  401  200  200  403  200  403"),
        ["section epc"] = new("GET", $"/api/dwellings/{Gent}/passport/epc",
                                         "401  200  404  200  404  404  404  200  401  401  200  403  403  200  403"),
        ["section asbestos"] = new("GET", $"/api/dwellings/{Gent}/passport/asbestos",
                                         "401  200  404  200  404  404  404  200  401  401  403  200  403  403  403"),
        ["section permits"] = new("GET", $"/api/dwellings/{Gent}/passport/permits",
                                         "401  200  404  403  404  404  404  403  401  401  403  403  403  403  403"),
        ["shared passport"] = new("GET", "/api/shared/passport",
                                         "401  403  403  403  403  403  403  200  401  401  403  403  403  403  403"),
        ["reminders"] = new("GET", "/api/me/reminders",
                                         "401  200  200  200  200  200  200  403  401  401  403  403  403  403  403"),
        ["list shares"] = new("GET", $"/api/dwellings/{Gent}/shares",
                                         "401  200  404  404  404  404  404  403  401  401  403  403  403  403  403"),
        ["create share"] = new("POST", $"/api/dwellings/{Gent}/shares",
                                         "401  201  404  404  404  404  404  403  401  401  403  403  403  403  403",
            """{"sections":["epc"],"link":true,"expiresOn":"2027-01-31"}"""),
        ["revoke share"] = new("DELETE", $"/api/dwellings/{Gent}/shares/{RevocableShareId}",
                                         "401  204  404  404  404  404  404  403  401  401  403  403  403  403  403"),
        ["received shares"] = new("GET", "/api/shares/received",
                                         "401  200  200  200  200  200  200  403  401  401  403  403  403  403  403"),
        ["my access log"] = new("GET", "/api/me/access-log",
                                         "401  200  200  200  200  200  200  403  401  401  403  403  403  403  403"),
        ["my access log csv"] = new("GET", "/api/me/access-log?format=csv",
                                         "401  200  200  200  200  200  200  403  401  401  403  403  403  403  403"),
        ["audit search"] = new("GET", $"/api/audit/access-log?dwellingId={Gent}",
                                         "401  403  403  403  403  403  403  403  401  401  403  403  200  403  403"),
        ["health"] = new("GET", "/healthz/live",
                                         "200  200  200  200  200  200  200  200  200  200  200  200  200  200  200"),
    };

    public static TheoryData<Persona, string> Cases()
    {
        var data = new TheoryData<Persona, string>();
        foreach (var persona in Enum.GetValues<Persona>())
        {
            foreach (var endpoint in Endpoints.Keys)
            {
                data.Add(persona, endpoint);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_persona_gets_exactly_what_it_may_see_and_every_read_is_logged_once(Persona persona, string name)
    {
        var endpoint = Endpoints[name];
        var expected = (HttpStatusCode)int.Parse(
            endpoint.Codes.Split(' ', StringSplitOptions.RemoveEmptyEntries)[(int)persona],
            System.Globalization.CultureInfo.InvariantCulture);
        await ArrangeSharesAsync(persona);
        using var client = await ClientAsync(persona);
        var before = await LastLogIdAsync();

        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(endpoint.Path, UriKind.Relative));
        if (endpoint.Body is not null)
        {
            request.Content = new StringContent(endpoint.Body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(expected == response.StatusCode, $"{persona} {name}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if (!name.Equals("health", StringComparison.Ordinal))
        {
            DwellingEndpointTests.AssertNoStore(response);
        }

        var allowed = AllowedValues(persona, name, response.IsSuccessStatusCode);
        foreach (var value in new[] { Address, EpcReference, AsbestosReference, PermitReference, DemoData.NotaryEmail,
                     DemoData.CitizenAId.ToString("D"), Gent.ToString("D"), HolderInsz, HolderName })
        {
            if (!allowed.Contains(value))
            {
                Assert.False(body.Contains(value, StringComparison.OrdinalIgnoreCase), $"{persona} {name} leaks {value}: {body}");
            }
            else if (response.StatusCode == HttpStatusCode.OK && name is "passport" or "shared passport" or "section epc"
                         or "section asbestos" or "section permits" && (value is EpcReference or AsbestosReference || value == PermitReference))
            {
                Assert.True(body.Contains(value, StringComparison.Ordinal), $"{persona} {name} misses {value}: {body}");
            }
        }

        Assert.Equal(ReachesEndpoint(persona, name) ? 1 : 0, await CountAfterAsync(before));
    }

    /// <summary>Which personal values a persona may see in a successful answer of an endpoint.</summary>
    private static HashSet<string> AllowedValues(Persona persona, string endpoint, bool success)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (!success)
        {
            return allowed;
        }

        var seesSomethingOfGent = persona is Persona.Holder or Persona.ThirdPartyWithShare or Persona.LinkWithShare
            or Persona.StaffOfOwningAgency or Persona.StaffOfOtherAgency or Persona.MachineWithScope;
        var readsPassport = endpoint is "passport" or "shared passport";
        if (seesSomethingOfGent || persona == Persona.Auditor)
        {
            allowed.Add(Gent.ToString("D"));
        }

        if (seesSomethingOfGent && (readsPassport || endpoint is "list dwellings" or "received shares" or "reminders"))
        {
            allowed.Add(Address);
        }

        if (persona is Persona.Holder or Persona.ThirdPartyWithShare or Persona.LinkWithShare or Persona.StaffOfOwningAgency
            or Persona.MachineWithScope && (readsPassport || endpoint == "section epc"))
        {
            allowed.Add(EpcReference);
        }

        if (persona is Persona.Holder or Persona.ThirdPartyWithShare or Persona.LinkWithShare or Persona.StaffOfOtherAgency
            && (readsPassport || endpoint == "section asbestos"))
        {
            allowed.Add(AsbestosReference);
        }

        if (persona == Persona.Holder && (readsPassport || endpoint == "section permits"))
        {
            allowed.Add(PermitReference);
        }

        if (persona == Persona.Holder && endpoint == "list shares")
        {
            allowed.Add(DemoData.NotaryEmail);
        }

        if (persona == Persona.Auditor && endpoint == "audit search")
        {
            allowed.Add(DemoData.CitizenAId.ToString("D"));
        }

        return allowed;
    }

    /// <summary>Whether the endpoint's own code runs (and so must log the read), rather than the policy refusing first.</summary>
    private static bool ReachesEndpoint(Persona persona, string endpoint)
    {
        var role = persona switch
        {
            Persona.Anonymous or Persona.LinkExpired or Persona.LinkRevoked => null,
            Persona.LinkWithShare => Roles.LinkHolder,
            Persona.StaffOfOwningAgency or Persona.StaffOfOtherAgency => Roles.Editor,
            Persona.Auditor => Roles.Auditor,
            Persona.MachineWithScope or Persona.MachineWithoutScope => Roles.MachineClient,
            _ => Roles.Citizen,
        };
        return endpoint switch
        {
            "health" => false,
            "passport" or "section epc" or "section asbestos" or "section permits" =>
                role is Roles.Citizen or Roles.LinkHolder or Roles.Editor or Roles.MachineClient,
            "shared passport" => role == Roles.LinkHolder,
            "audit search" => role == Roles.Auditor,
            _ => role == Roles.Citizen,
        };
    }

    private async Task<HttpClient> ClientAsync(Persona persona)
    {
        var client = persona switch
        {
            Persona.Holder => await api.SignedInClientAsync("citizen-a"),
            Persona.OtherCitizen => await api.SignedInClientAsync("citizen-b"),
            Persona.ThirdPartyWithShare or Persona.ThirdPartyWithoutShare or Persona.ThirdPartyExpiredShare
                or Persona.ThirdPartyRevokedShare => await api.SignedInClientAsync("notary"),
            Persona.StaffOfOwningAgency => await api.SignedInClientAsync("staff-energy"),
            Persona.StaffOfOtherAgency => await api.SignedInClientAsync("staff-waste"),
            Persona.Auditor => await api.SignedInClientAsync("staff-auditor"),
            Persona.MachineWithScope => api.MachineClient(MachineClientId, "epc.read"),
            Persona.MachineWithoutScope => api.MachineClient(MachineClientId),
            _ => api.AnonymousClient(),
        };
        if (persona is Persona.LinkWithShare or Persona.LinkExpired or Persona.LinkRevoked)
        {
            client.DefaultRequestHeaders.Add(ShareLinks.HeaderName, LinkToken);
        }

        // Every browser client of the Api sends the anti-forgery header; its absence has its own tests.
        client.DefaultRequestHeaders.Add(CsrfHeaderCheck.HeaderName, "1");
        return client;
    }

    /// <summary>
    /// The Gent house's shares for this case: the notary's e-mail share (active, expired, revoked or absent), a link
    /// share with the known token (active, expired or revoked) for the link personas, and a share any holder may revoke.
    /// </summary>
    private async Task ArrangeSharesAsync(Persona persona)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        await db.DwellingShares.ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        var ring = await KeyRing.LoadAsync(api.ConnectionString, TestKeys.Kek, TimeProvider.System,
            TestContext.Current.CancellationToken);
        var today = DateOnly.FromDateTime(ApiFactory.Today.UtcDateTime);
        var revoked = ApiFactory.Today.AddDays(-1);
        if (persona != Persona.ThirdPartyWithoutShare)
        {
            db.DwellingShares.Add(NewShare(ring, DemoData.NotaryShareId, DemoData.NotaryEmail, null,
                persona == Persona.ThirdPartyExpiredShare ? today.AddDays(-1) : today.AddMonths(6),
                persona == Persona.ThirdPartyRevokedShare ? revoked : null));
        }

        if (persona is Persona.LinkWithShare or Persona.LinkExpired or Persona.LinkRevoked)
        {
            db.DwellingShares.Add(NewShare(ring, LinkShareId, null, ShareLinks.Hash(LinkToken),
                persona == Persona.LinkExpired ? today.AddDays(-1) : today.AddMonths(6),
                persona == Persona.LinkRevoked ? revoked : null));
        }

        db.DwellingShares.Add(NewShare(ring, RevocableShareId, "koper@voorbeeld.example", null, today.AddMonths(1), null,
            ["documents"]));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private static DwellingShare NewShare(KeyRing ring, Guid id, string? email, byte[]? tokenHash, DateOnly expiresOn,
        DateTimeOffset? revokedAt, List<string>? sections = null) => new()
    {
        Id = id,
        DwellingId = Gent,
        CreatedBy = DemoData.CitizenAId,
        CreatedAt = ApiFactory.Today.AddDays(-10),
        Sections = sections ?? ["epc", "asbestos"],
        EncryptedRecipientEmail = email is null ? null : ring.Recipient(id, email).Encrypted,
        RecipientEmailIndex = email is null ? null : ring.Recipient(id, email).Index,
        TokenHash = tokenHash,
        ExpiresOn = expiresOn,
        RevokedAt = revokedAt,
        RevokedBy = revokedAt is null ? null : DemoData.CitizenAId,
    };

    private async Task<long> LastLogIdAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }

    private async Task<int> CountAfterAsync(long id)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return await db.AccessLog.CountAsync(e => e.Id > id, TestContext.Current.CancellationToken);
    }
}
