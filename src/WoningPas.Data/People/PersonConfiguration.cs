using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.People;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("people", table => table.HasCheckConstraint("ck_people_insz", "insz ~ '^[0-9]{11}$'"));
        builder.Property(p => p.Insz).HasMaxLength(11).IsFixedLength();
        builder.HasIndex(p => p.Insz).IsUnique();
        builder.Property(p => p.DisplayName).HasMaxLength(200);
    }
}
