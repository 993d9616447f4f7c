using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.Sections;

// Every section table is read by "all rows of this dwelling (or parcel)", so each has an index led by that key.
// Source references are unique per agency: a re-import of the same certificate updates instead of duplicating.

internal sealed class DeedConfiguration : IEntityTypeConfiguration<Deed>
{
    public void Configure(EntityTypeBuilder<Deed> builder)
    {
        builder.ToTable("deeds");
        builder.Property(d => d.SourceReference).HasMaxLength(50);
        builder.HasIndex(d => d.SourceReference).IsUnique();
        builder.Property(d => d.LabelAtDeed).HasConversion<string>().HasMaxLength(5);
        builder.HasIndex(d => new { d.DwellingId, d.SignedOn });
    }
}

internal sealed class AsbestosCertificateConfiguration : IEntityTypeConfiguration<AsbestosCertificate>
{
    public void Configure(EntityTypeBuilder<AsbestosCertificate> builder)
    {
        builder.ToTable("asbestos_certificates",
            table => table.HasCheckConstraint("ck_asbestos_certificates_period", "valid_until > issued_on"));
        builder.Property(c => c.SourceReference).HasMaxLength(50);
        builder.HasIndex(c => c.SourceReference).IsUnique();
        builder.HasIndex(c => new { c.DwellingId, c.IssuedOn });
        builder.Property(c => c.Version).IsRowVersion();
    }
}

internal sealed class SoilCertificateConfiguration : IEntityTypeConfiguration<SoilCertificate>
{
    public void Configure(EntityTypeBuilder<SoilCertificate> builder)
    {
        builder.ToTable("soil_certificates");
        builder.Property(c => c.SourceReference).HasMaxLength(50);
        builder.HasIndex(c => c.SourceReference).IsUnique();
        builder.HasIndex(c => new { c.ParcelId, c.IssuedOn });
        builder.Property(c => c.Version).IsRowVersion();
    }
}

internal sealed class FloodScoreConfiguration : IEntityTypeConfiguration<FloodScore>
{
    public void Configure(EntityTypeBuilder<FloodScore> builder)
    {
        builder.ToTable("flood_scores");
        builder.HasKey(f => f.ParcelId);
        builder.Property(f => f.ParcelScore).HasConversion<string>().HasMaxLength(1);
        builder.Property(f => f.BuildingScore).HasConversion<string>().HasMaxLength(1);
        builder.Property(f => f.SourceReference).HasMaxLength(50);
        builder.HasOne(f => f.Parcel).WithOne().HasForeignKey<FloodScore>(f => f.ParcelId);
    }
}

internal sealed class PermitConfiguration : IEntityTypeConfiguration<Permit>
{
    public void Configure(EntityTypeBuilder<Permit> builder)
    {
        builder.ToTable("permits");
        builder.Property(p => p.SourceReference).HasMaxLength(50);
        builder.HasIndex(p => p.SourceReference).IsUnique();
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Decision).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.HasIndex(p => new { p.ParcelId, p.SubmittedOn });
    }
}

internal sealed class ConformityCertificateConfiguration : IEntityTypeConfiguration<ConformityCertificate>
{
    public void Configure(EntityTypeBuilder<ConformityCertificate> builder)
    {
        builder.ToTable("conformity_certificates",
            table => table.HasCheckConstraint("ck_conformity_certificates_period", "valid_until > issued_on"));
        builder.Property(c => c.SourceReference).HasMaxLength(50);
        builder.HasIndex(c => c.SourceReference).IsUnique();
        builder.HasIndex(c => new { c.DwellingId, c.IssuedOn });
        builder.Property(c => c.Version).IsRowVersion();
    }
}

internal sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> builder)
    {
        builder.ToTable("installations");
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.Source).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.SourceReference).HasMaxLength(50);
        builder.Property(i => i.Description).HasMaxLength(500);
        builder.HasIndex(i => i.DwellingId);
        builder.Property(i => i.Version).IsRowVersion();
    }
}

internal sealed class OwnerDocumentConfiguration : IEntityTypeConfiguration<OwnerDocument>
{
    public void Configure(EntityTypeBuilder<OwnerDocument> builder)
    {
        builder.ToTable("owner_documents");
        builder.Property(d => d.FileName).HasMaxLength(255);
        builder.Property(d => d.ContentType).HasMaxLength(50);
        builder.Property(d => d.Title).HasMaxLength(200);
        builder.Property(d => d.Section).HasMaxLength(20);
        builder.Property(d => d.Organisation).HasMaxLength(100);
        builder.HasIndex(d => d.DwellingId);
    }
}
