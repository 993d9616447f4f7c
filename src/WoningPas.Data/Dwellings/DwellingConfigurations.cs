using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.Dwellings;

internal sealed class AddressConfiguration : IEntityTypeConfiguration<Address>
{
    public void Configure(EntityTypeBuilder<Address> builder)
    {
        builder.ToTable("addresses");
        builder.Property(a => a.RegisterId).HasMaxLength(200);
        builder.HasIndex(a => a.RegisterId).IsUnique();
        builder.Property(a => a.Street).HasMaxLength(200);
        builder.Property(a => a.HouseNumber).HasMaxLength(20);
        builder.Property(a => a.BoxNumber).HasMaxLength(20);
        builder.Property(a => a.PostalCode).HasMaxLength(4).IsFixedLength();
        builder.Property(a => a.Municipality).HasMaxLength(100);
        builder.Property(a => a.NisCode).HasMaxLength(5).IsFixedLength();
        builder.Ignore(a => a.Label);
        // Staff search by address: postal code, street, number.
        builder.HasIndex(a => new { a.PostalCode, a.Street, a.HouseNumber });
    }
}

internal sealed class ParcelConfiguration : IEntityTypeConfiguration<Parcel>
{
    public void Configure(EntityTypeBuilder<Parcel> builder)
    {
        builder.ToTable("parcels");
        builder.Property(p => p.CaPaKey).HasColumnName("capakey").HasMaxLength(17).IsFixedLength();
        builder.HasIndex(p => p.CaPaKey).IsUnique();
    }
}

internal sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> builder)
    {
        builder.ToTable("buildings", table =>
            table.HasCheckConstraint("ck_buildings_construction_year", "construction_year BETWEEN 1000 AND 2100"));
        builder.HasMany(b => b.Parcels).WithMany().UsingEntity(
            "building_parcels",
            right => right.HasOne(typeof(Parcel)).WithMany().HasForeignKey("parcel_id"),
            left => left.HasOne(typeof(Building)).WithMany().HasForeignKey("building_id"),
            join =>
            {
                join.HasKey("building_id", "parcel_id");
                // Lookup by CaPaKey goes parcel -> buildings -> dwellings.
                join.HasIndex("parcel_id");
            });
    }
}

internal sealed class DwellingConfiguration : IEntityTypeConfiguration<Dwelling>
{
    public void Configure(EntityTypeBuilder<Dwelling> builder)
    {
        builder.ToTable("dwellings");
        builder.HasOne(d => d.Address).WithMany().HasForeignKey(d => d.AddressId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.Building).WithMany().HasForeignKey(d => d.BuildingId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RealRightConfiguration : IEntityTypeConfiguration<RealRight>
{
    public void Configure(EntityTypeBuilder<RealRight> builder)
    {
        builder.ToTable("real_rights", table =>
        {
            table.HasCheckConstraint("ck_real_rights_share", "share > 0 AND share <= 1");
            table.HasCheckConstraint("ck_real_rights_period", "valid_until IS NULL OR valid_until >= valid_from");
        });
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Share).HasPrecision(9, 8);
        builder.HasOne(r => r.Dwelling).WithMany(d => d.Rights).HasForeignKey(r => r.DwellingId);
        builder.HasOne(r => r.Holder).WithMany().HasForeignKey(r => r.HolderId).OnDelete(DeleteBehavior.Restrict);
        // The hot path: "which dwellings does this holder have a right on today".
        builder.HasIndex(r => new { r.HolderId, r.DwellingId });
    }
}
