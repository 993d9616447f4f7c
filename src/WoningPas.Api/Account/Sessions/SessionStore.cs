using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;

namespace WoningPas.Api.Account.Sessions;

/// <summary>
/// Sessions on the server, behind the cookie handler: the cookie carries a random key, the ticket lives in PostgreSQL
/// (<c>user_sessions</c>) and in this replica's memory. A request costs no database round trip: the cache answers,
/// and the last-seen time is written at most once a minute. A revocation on any replica reaches every other through
/// PostgreSQL's NOTIFY (<see cref="SessionRevocationListener"/>); while that channel is down, the cache is not trusted.
/// </summary>
public sealed class SessionStore(IOptions<DatabaseSettings> database, IOptions<SessionSettings> settings,
    IDataProtectionProvider protection, TimeProvider time) : ITicketStore, IDisposable
{
    public const string Channel = "user_sessions_revoked";

    private static readonly TimeSpan WriteEvery = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly IDataProtector _protector = protection.CreateProtector("WoningPas.Sessions.v1");

    /// <summary>Set by the listener: only while it listens may a cached session be served without asking the database.</summary>
    public bool Listening { get; set; }

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var role = ticket.Principal.FindFirst(WoningPasClaims.Role)?.Value;
        var lifetime = role is Roles.Editor or Roles.Auditor ? settings.Value.StaffLifetime : settings.Value.CitizenLifetime;
        ticket.Properties.IssuedUtc = now;
        ticket.Properties.ExpiresUtc = now + lifetime;
        var subject = Guid.Parse(ticket.Principal.FindFirst(WoningPasClaims.Subject)!.Value);
        await ExecuteAsync("""
            INSERT INTO user_sessions (key_hash, subject_id, created_at, expires_at, last_seen_at, ticket)
            VALUES ($1, $2, $3, $4, $3, $5)
            """, [Hash(key), subject, now, now + lifetime, Protect(ticket)]);
        Remember(key, new CachedSession(ticket, now + lifetime) { LastSeen = now, LastWritten = now });
        return key;
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var now = time.GetUtcNow();
        if (!Listening || !_cache.TryGetValue(Id(key), out CachedSession? session) || session is null)
        {
            session = await LoadAsync(key);
            if (session is null)
            {
                return null;
            }

            Remember(key, session);
        }

        if (now >= session.ExpiresAt)
        {
            await RemoveAsync(key);
            return null;
        }

        if (now - session.LastSeen > settings.Value.IdleTimeout)
        {
            // Another replica may have seen it since; the database has the latest time.
            var fresh = await LoadAsync(key);
            if (fresh is null || now - fresh.LastSeen > settings.Value.IdleTimeout)
            {
                await RemoveAsync(key);
                return null;
            }

            session = fresh;
            Remember(key, session);
        }

        session.LastSeen = now;
        if (now - session.LastWritten >= WriteEvery)
        {
            session.LastWritten = now;
            if (await ExecuteAsync("UPDATE user_sessions SET last_seen_at = $2 WHERE key_hash = $1 AND revoked_at IS NULL",
                    [Hash(key), now]) == 0)
            {
                Forget(Id(key));
                return null;
            }
        }

        return session.Ticket;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await ExecuteAsync("UPDATE user_sessions SET ticket = $2 WHERE key_hash = $1 AND revoked_at IS NULL",
            [Hash(key), Protect(ticket)]);
        if (_cache.TryGetValue(Id(key), out CachedSession? session) && session is not null)
        {
            Remember(key, session with { Ticket = ticket });
        }
    }

    /// <summary>Sign-out: the session ends here and, through NOTIFY, on every replica.</summary>
    public async Task RemoveAsync(string key)
    {
        await ExecuteAsync("""
            WITH ended AS (UPDATE user_sessions SET revoked_at = $2 WHERE key_hash = $1 AND revoked_at IS NULL RETURNING key_hash)
            SELECT pg_notify($3, encode(key_hash, 'hex')) FROM ended
            """, [Hash(key), time.GetUtcNow(), Channel]);
        Forget(Id(key));
    }

    /// <summary>
    /// "Sign out everywhere": every session of the person ends, on every replica; this replica forgets them at once,
    /// before its own notification comes back.
    /// </summary>
    public async Task<int> RevokeAllAsync(Guid subjectId)
    {
        await using var connection = new NpgsqlConnection(database.Value.WoningPas);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH ended AS (UPDATE user_sessions SET revoked_at = $2 WHERE subject_id = $1 AND revoked_at IS NULL RETURNING key_hash)
            SELECT encode(key_hash, 'hex'), pg_notify($3, encode(key_hash, 'hex')) FROM ended
            """, connection)
        {
            Parameters = { new() { Value = subjectId }, new() { Value = time.GetUtcNow() }, new() { Value = Channel } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var ended = 0;
        while (await reader.ReadAsync())
        {
            Forget(reader.GetString(0));
            ended++;
        }

        return ended;
    }

    /// <summary>A revocation announced by any replica (the key's hash, hex).</summary>
    public void Forget(string id) => _cache.Remove(id);

    public void Dispose() => _cache.Dispose();

    private async Task<CachedSession?> LoadAsync(string key)
    {
        await using var connection = new NpgsqlConnection(database.Value.WoningPas);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT expires_at, last_seen_at, ticket FROM user_sessions WHERE key_hash = $1 AND revoked_at IS NULL", connection)
        {
            Parameters = { new() { Value = Hash(key) } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var ticket = TicketSerializer.Default.Deserialize(_protector.Unprotect(reader.GetFieldValue<byte[]>(2)));
        var lastSeen = reader.GetFieldValue<DateTimeOffset>(1);
        return ticket is null ? null : new CachedSession(ticket, reader.GetFieldValue<DateTimeOffset>(0))
        {
            LastSeen = lastSeen,
            LastWritten = lastSeen,
        };
    }

    private async Task<int> ExecuteAsync(string sql, object[] values)
    {
        await using var connection = new NpgsqlConnection(database.Value.WoningPas);
        await connection.OpenAsync();
#pragma warning disable CA2100 // the statements are this class's constants; every value is a parameter
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    }

    private void Remember(string key, CachedSession session) =>
        _cache.Set(Id(key), session, new MemoryCacheEntryOptions { SlidingExpiration = settings.Value.IdleTimeout });

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(key));

    private static string Id(string key) => Convert.ToHexStringLower(Hash(key));

    private sealed record CachedSession(AuthenticationTicket Ticket, DateTimeOffset ExpiresAt)
    {
        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset LastWritten { get; set; }
    }
}
