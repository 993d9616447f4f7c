using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WoningPas.Data.DataProtection;

/// <summary>
/// One key of the ASP.NET Core Data Protection ring that every Api replica shares (cookies, antiforgery tokens). The
/// XML is the key as Data Protection stores it, with its secret part encrypted under a key wrapped by the KEK.
/// Append-only for the Api's role: keys expire, they are never changed or removed by the application.
/// </summary>
public sealed class DataProtectionKeyRow
{
    public const string Table = "data_protection_keys";

    public int Id { get; init; }

    /// <summary>Data Protection's name for the key ("key-{guid}"), for an operator reading the table.</summary>
    public required string FriendlyName { get; init; }

    public required string Xml { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class DataProtectionKeyRowConfiguration : IEntityTypeConfiguration<DataProtectionKeyRow>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRow> builder)
    {
        builder.ToTable(DataProtectionKeyRow.Table);
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).HasMaxLength(100);
        builder.Property(k => k.CreatedAt).HasDefaultValueSql("now()");
    }
}
