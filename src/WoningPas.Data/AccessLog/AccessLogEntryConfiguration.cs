using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.AccessLog;

internal sealed class AccessLogEntryConfiguration : IEntityTypeConfiguration<AccessLogEntry>
{
    public void Configure(EntityTypeBuilder<AccessLogEntry> builder)
    {
        builder.ToTable("access_log");
        builder.Property(e => e.Id).UseIdentityByDefaultColumn();
        builder.Property(e => e.ActorId).HasMaxLength(100);
        builder.Property(e => e.ActingForId).HasMaxLength(100);
        builder.Property(e => e.ActorRole).HasMaxLength(50);
        builder.Property(e => e.ActorOrganisation).HasMaxLength(100);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ObjectKind).HasMaxLength(50);
        builder.Property(e => e.ObjectId).HasMaxLength(100);
        builder.Property(e => e.Purpose).HasMaxLength(200);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ClientAddress).HasMaxLength(45);
        builder.Property(e => e.CorrelationId).HasMaxLength(100);
        builder.Property(e => e.PreviousHash).HasMaxLength(32);
        builder.Property(e => e.Hash).HasMaxLength(32);
        // A holder consults every access to their dwellings, newest first.
        builder.HasIndex(e => new { e.DwellingId, e.OccurredAt });
        // Auditors search by actor and period.
        builder.HasIndex(e => new { e.ActorId, e.OccurredAt });
    }
}
