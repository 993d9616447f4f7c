using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.BackOffice;

internal sealed class SectionVersionConfiguration : IEntityTypeConfiguration<SectionVersion>
{
    public void Configure(EntityTypeBuilder<SectionVersion> builder)
    {
        builder.ToTable("section_versions");
        builder.Property(v => v.Section).HasMaxLength(20);
        builder.Property(v => v.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(v => v.ChangedByName).HasMaxLength(200);
        builder.Property(v => v.Organisation).HasMaxLength(100);
        builder.Property(v => v.Before).HasColumnType("jsonb");
        builder.Property(v => v.After).HasColumnType("jsonb");
        builder.HasOne(v => v.Dwelling).WithMany().HasForeignKey(v => v.DwellingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SectionVersion>().WithMany().HasForeignKey(v => v.UndoOf).OnDelete(DeleteBehavior.Restrict);
        // The history page lists one section of one dwelling, newest first.
        builder.HasIndex(v => new { v.DwellingId, v.Section, v.Id });
    }
}

internal sealed class DataReportConfiguration : IEntityTypeConfiguration<DataReport>
{
    public void Configure(EntityTypeBuilder<DataReport> builder)
    {
        builder.ToTable("data_reports", table =>
        {
            table.HasCheckConstraint("ck_data_reports_answered", "(status = 'Open') = (answer IS NULL)");
        });
        builder.Property(r => r.Section).HasMaxLength(20);
        builder.Property(r => r.Agency).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.Comment).HasMaxLength(2000);
        builder.Property(r => r.Answer).HasMaxLength(2000);
        builder.HasOne(r => r.Dwelling).WithMany().HasForeignKey(r => r.DwellingId).OnDelete(DeleteBehavior.Restrict);
        // An agency's queue: its open reports, oldest first; a holder's reports on a dwelling.
        builder.HasIndex(r => new { r.Agency, r.Status, r.ReportedAt });
        builder.HasIndex(r => new { r.DwellingId, r.ReportedBy });
    }
}
