using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.AccessLog;

internal sealed class AccessLogEntryConfiguration : IEntityTypeConfiguration<AccessLogEntry>
{
    public void Configure(EntityTypeBuilder<AccessLogEntry> builder)
    {
        builder.ToTable("access_log");
        builder.Property(e => e.Id).UseIdentityByDefaultColumn();
        builder.Property(e => e.ActorId).HasMaxLength(AccessLogColumns.ActorId);
        builder.Property(e => e.ActingForId).HasMaxLength(AccessLogColumns.ActingForId);
        builder.Property(e => e.ActorRole).HasMaxLength(AccessLogColumns.ActorRole);
        builder.Property(e => e.ActorOrganisation).HasMaxLength(AccessLogColumns.ActorOrganisation);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(AccessLogColumns.Action);
        builder.Property(e => e.ObjectKind).HasMaxLength(AccessLogColumns.ObjectKind);
        builder.Property(e => e.ObjectId).HasMaxLength(AccessLogColumns.ObjectId);
        builder.Property(e => e.Purpose).HasMaxLength(AccessLogColumns.Purpose);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(AccessLogColumns.Outcome);
        builder.Property(e => e.ClientAddress).HasMaxLength(AccessLogColumns.ClientAddress);
        builder.Property(e => e.CorrelationId).HasMaxLength(AccessLogColumns.CorrelationId);
        builder.Property(e => e.PreviousHash).HasMaxLength(AccessLogColumns.Hash);
        builder.Property(e => e.Hash).HasMaxLength(AccessLogColumns.Hash);
        // A holder consults every access to their dwellings, newest first.
        builder.HasIndex(e => new { e.DwellingId, e.OccurredAt });
        // Auditors search by actor and period.
        builder.HasIndex(e => new { e.ActorId, e.OccurredAt });
    }
}
