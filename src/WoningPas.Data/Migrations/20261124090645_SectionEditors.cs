using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class SectionEditors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "soil_certificates",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<string>(
                name: "organisation",
                table: "owner_documents",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "section",
                table: "owner_documents",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "installations",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "conformity_certificates",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "asbestos_certificates",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "xmin",
                table: "soil_certificates");

            migrationBuilder.DropColumn(
                name: "organisation",
                table: "owner_documents");

            migrationBuilder.DropColumn(
                name: "section",
                table: "owner_documents");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "installations");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "conformity_certificates");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "asbestos_certificates");
        }
    }
}
