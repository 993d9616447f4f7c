using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WoningPas.Data.Migrations;

/// <summary>
/// Hand-written SQL only, no model change: before <c>ShareEmailEncryption</c> turns <c>dwelling_shares.recipient_email</c>
/// into bytea, convert the addresses already there to UTF-8 bytes, which PostgreSQL will not do without a USING clause.
/// They stay readable (key version 0) only until the migrate step (<c>DatabaseSetup.MigrateAsync</c>) encrypts them
/// from C#, in resumable batches, and fills their blind index; sharing by e-mail shipped before this, so such rows exist.
/// </summary>
[DbContext(typeof(WoningPasDbContext))]
[Migration("20261124090000_ShareEmailEncryptionPlaintextAsBytes")]
public sealed class ShareEmailEncryptionPlaintextAsBytes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE dwelling_shares
                ALTER COLUMN recipient_email TYPE bytea USING convert_to(recipient_email, 'UTF8');
            """);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE dwelling_shares
                ALTER COLUMN recipient_email TYPE character varying(254) USING convert_from(recipient_email, 'UTF8');
            """);
}
