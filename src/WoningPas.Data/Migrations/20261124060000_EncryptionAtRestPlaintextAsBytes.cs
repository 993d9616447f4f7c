using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WoningPas.Data.Migrations;

/// <summary>
/// Hand-written SQL only, no model change: before <c>EncryptionAtRest</c> turns the people's personal columns into
/// bytea, convert what is there to UTF-8 bytes, which PostgreSQL will not do without a USING clause. Rows keep their
/// plaintext for the moment; the migrate step (<c>DatabaseSetup.MigrateAsync</c>) encrypts them from C# and fills
/// their blind index. The INSZ format check cannot apply to bytes, so it is replaced by a placeholder the model
/// migration drops.
/// </summary>
[DbContext(typeof(WoningPasDbContext))]
[Migration("20261124060000_EncryptionAtRestPlaintextAsBytes")]
public sealed class EncryptionAtRestPlaintextAsBytes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE people
                DROP CONSTRAINT ck_people_insz,
                ALTER COLUMN insz TYPE bytea USING convert_to(insz, 'UTF8'),
                ALTER COLUMN display_name TYPE bytea USING convert_to(display_name, 'UTF8'),
                ADD CONSTRAINT ck_people_insz CHECK (octet_length(insz) > 0);
            """);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE people
                DROP CONSTRAINT ck_people_insz,
                ALTER COLUMN insz TYPE character(11) USING convert_from(insz, 'UTF8'),
                ALTER COLUMN display_name TYPE character varying(200) USING convert_from(display_name, 'UTF8'),
                ADD CONSTRAINT ck_people_insz CHECK (insz ~ '^[0-9]{11}$');
            """);
}
