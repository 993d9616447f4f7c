using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class BackOffice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "energy_certificates",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateTable(
                name: "data_reports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    section = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    agency = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    reported_by = table.Column<Guid>(type: "uuid", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    answer = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    answered_by = table.Column<Guid>(type: "uuid", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_reports", x => x.id);
                    table.CheckConstraint("ck_data_reports_answered", "(status = 'Open') = (answer IS NULL)");
                    table.ForeignKey(
                        name: "fk_data_reports_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "section_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    section = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    undo_of = table.Column<long>(type: "bigint", nullable: true),
                    changed_by = table.Column<Guid>(type: "uuid", nullable: false),
                    changed_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    before = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    after = table.Column<JsonDocument>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_section_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_section_versions_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_section_versions_section_versions_undo_of",
                        column: x => x.undo_of,
                        principalTable: "section_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_data_reports_agency_status_reported_at",
                table: "data_reports",
                columns: new[] { "agency", "status", "reported_at" });

            migrationBuilder.CreateIndex(
                name: "ix_data_reports_dwelling_id_reported_by",
                table: "data_reports",
                columns: new[] { "dwelling_id", "reported_by" });

            migrationBuilder.CreateIndex(
                name: "ix_section_versions_dwelling_id_section_id",
                table: "section_versions",
                columns: new[] { "dwelling_id", "section", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_section_versions_undo_of",
                table: "section_versions",
                column: "undo_of");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_reports");

            migrationBuilder.DropTable(
                name: "section_versions");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "energy_certificates");
        }
    }
}
