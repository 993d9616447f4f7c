using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class ShareEmailEncryption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_dwelling_shares_recipient_email",
                table: "dwelling_shares");

            migrationBuilder.AlterColumn<byte[]>(
                name: "recipient_email",
                table: "dwelling_shares",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(254)",
                oldMaxLength: 254,
                oldNullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "recipient_email_index",
                table: "dwelling_shares",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_dwelling_shares_recipient_email_index",
                table: "dwelling_shares",
                column: "recipient_email_index");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_dwelling_shares_recipient_email_index",
                table: "dwelling_shares");

            migrationBuilder.DropColumn(
                name: "recipient_email_index",
                table: "dwelling_shares");

            // The column stays bytea here: ShareEmailEncryptionPlaintextAsBytes turns it back into text with
            // convert_from, which fails (and so stops the downgrade) while any address is still encrypted.

            migrationBuilder.CreateIndex(
                name: "ix_dwelling_shares_recipient_email",
                table: "dwelling_shares",
                column: "recipient_email");
        }
    }
}
