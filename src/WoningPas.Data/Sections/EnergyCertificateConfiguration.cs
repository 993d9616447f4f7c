using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.Sections;

internal sealed class EnergyCertificateConfiguration : IEntityTypeConfiguration<EnergyCertificate>
{
    public void Configure(EntityTypeBuilder<EnergyCertificate> builder)
    {
        builder.ToTable("energy_certificates");
        builder.Property(c => c.SourceReference).HasMaxLength(50);
        builder.HasIndex(c => c.SourceReference).IsUnique();
        builder.Property(c => c.PrimaryEnergyUse).HasPrecision(7, 1);
        builder.Property(c => c.Label).HasConversion<string>().HasMaxLength(5);
        builder.HasOne(c => c.Dwelling).WithMany().HasForeignKey(c => c.DwellingId);
        builder.HasIndex(c => new { c.DwellingId, c.IssuedOn });
        builder.Property(c => c.Version).IsRowVersion();
    }
}
