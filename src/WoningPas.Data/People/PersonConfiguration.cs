using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.People;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable(PersonFields.Table);
        builder.Property(p => p.EncryptedInsz).HasColumnName(PersonFields.InszColumn);
        builder.Property(p => p.EncryptedDisplayName).HasColumnName(PersonFields.DisplayNameColumn);
        // Null only for a row stored before encryption, until the migrate step encrypts it and computes its index.
        builder.Property(p => p.InszIndex).HasColumnName(PersonFields.InszIndexColumn).IsRequired(false);
        builder.HasIndex(p => p.InszIndex).IsUnique();
    }
}
