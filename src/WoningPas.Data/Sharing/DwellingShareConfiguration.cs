using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.Sharing;

internal sealed class DwellingShareConfiguration : IEntityTypeConfiguration<DwellingShare>
{
    public void Configure(EntityTypeBuilder<DwellingShare> builder)
    {
        builder.ToTable(ShareFields.Table, table =>
        {
            // Exactly one way to reach the recipient: an e-mail address or a link.
            table.HasCheckConstraint("ck_dwelling_shares_one_recipient", "(recipient_email IS NULL) <> (token_hash IS NULL)");
            table.HasCheckConstraint("ck_dwelling_shares_sections", "cardinality(sections) > 0");
        });
        builder.HasOne(s => s.Dwelling).WithMany().HasForeignKey(s => s.DwellingId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.EncryptedRecipientEmail).HasColumnName(ShareFields.RecipientEmailColumn);
        // Null for a link share, and for an e-mail share stored before encryption until the migrate step indexes it.
        builder.Property(s => s.RecipientEmailIndex).HasColumnName(ShareFields.RecipientEmailIndexColumn);
        builder.Property(s => s.TokenHash).HasMaxLength(32);
        // A link is found by the hash of its token on every request.
        builder.HasIndex(s => s.TokenHash).IsUnique();
        // A holder lists a dwelling's shares; a recipient lists what was shared with their e-mail.
        builder.HasIndex(s => s.DwellingId);
        builder.HasIndex(s => s.RecipientEmailIndex);
    }
}
