using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.Encryption;

internal sealed class DataKeyVersionConfiguration : IEntityTypeConfiguration<DataKeyVersion>
{
    public void Configure(EntityTypeBuilder<DataKeyVersion> builder)
    {
        builder.ToTable(KeyStore.Table, table => table.HasCheckConstraint("ck_data_keys_destroyed",
            "(state = 'Destroyed') = (wrapped_data_key IS NULL AND wrapped_index_key IS NULL)"));
        builder.HasKey(k => k.Version);
        builder.Property(k => k.Version).ValueGeneratedNever();
        builder.Property(k => k.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(k => k.WrappedBy).HasMaxLength(200);
        // At most one active version, enforced by the database rather than by care.
        builder.HasIndex(k => k.State).IsUnique().HasFilter("state = 'Active'").HasDatabaseName("ix_data_keys_one_active");
    }
}
