using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WoningPas.Data.Sections;

namespace WoningPas.Data.Documents;

/// <summary>
/// The bytes of an <see cref="OwnerDocument"/>, apart from its metadata so that listing a passport never reads them.
/// The Api writes and reads <see cref="Content"/> as a stream through Npgsql, never through this entity, so that a
/// document is never held whole in memory.
/// </summary>
public sealed class DocumentContent
{
    public Guid DocumentId { get; init; }
    public OwnerDocument Document { get; init; } = null!;

    /// <summary>
    /// The document as uploaded, after every check passed. To be stored encrypted with a data key from the
    /// encryption service once that is merged (see docs/uploads.md, "Encryption at rest").
    /// </summary>
    public required byte[] Content { get; init; }

    /// <summary>SHA-256 of the uploaded bytes, to detect a changed or truncated row.</summary>
    public required byte[] Sha256 { get; init; }
}

internal sealed class DocumentContentConfiguration : IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<DocumentContent> builder)
    {
        builder.ToTable("document_contents");
        builder.HasKey(c => c.DocumentId);
        builder.Property(c => c.Sha256).HasMaxLength(32);
        // Deleting a document's metadata deletes its content in the same statement: no orphaned bytes.
        builder.HasOne(c => c.Document).WithOne().HasForeignKey<DocumentContent>(c => c.DocumentId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
