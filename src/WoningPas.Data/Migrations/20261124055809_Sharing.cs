using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class Sharing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dwelling_shares",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sections = table.Column<List<string>>(type: "text[]", nullable: false),
                    recipient_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    token_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: true),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dwelling_shares", x => x.id);
                    table.CheckConstraint("ck_dwelling_shares_one_recipient", "(recipient_email IS NULL) <> (token_hash IS NULL)");
                    table.CheckConstraint("ck_dwelling_shares_sections", "cardinality(sections) > 0");
                    table.ForeignKey(
                        name: "fk_dwelling_shares_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_log_actor_id_occurred_at",
                table: "access_log",
                columns: new[] { "actor_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_dwelling_shares_dwelling_id",
                table: "dwelling_shares",
                column: "dwelling_id");

            migrationBuilder.CreateIndex(
                name: "ix_dwelling_shares_recipient_email",
                table: "dwelling_shares",
                column: "recipient_email");

            migrationBuilder.CreateIndex(
                name: "ix_dwelling_shares_token_hash",
                table: "dwelling_shares",
                column: "token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dwelling_shares");

            migrationBuilder.DropIndex(
                name: "ix_access_log_actor_id_occurred_at",
                table: "access_log");
        }
    }
}
