using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.Sessions;

/// <summary>
/// A signed-in session, kept on the server: the browser's cookie carries only a random key, of which this row holds
/// the SHA-256 (a copy of the table opens no session). The ticket (claims and the provider's tokens for sign-out) is
/// protected with the Api's Data Protection keys.
/// </summary>
public sealed class UserSession
{
    public required byte[] KeyHash { get; init; }

    public Guid SubjectId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The absolute end: no activity extends it.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Written at most once a minute per session, so that a request costs no write.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public required byte[] Ticket { get; set; }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.HasKey(s => s.KeyHash);
        builder.HasIndex(s => s.SubjectId);
    }
}
