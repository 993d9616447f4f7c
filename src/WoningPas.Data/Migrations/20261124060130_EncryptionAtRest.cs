using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class EncryptionAtRest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_people_insz",
                table: "people");

            migrationBuilder.DropCheckConstraint(
                name: "ck_people_insz",
                table: "people");

            migrationBuilder.AlterColumn<byte[]>(
                name: "insz",
                table: "people",
                type: "bytea",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character(11)",
                oldFixedLength: true,
                oldMaxLength: 11);

            migrationBuilder.AlterColumn<byte[]>(
                name: "display_name",
                table: "people",
                type: "bytea",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<byte[]>(
                name: "insz_index",
                table: "people",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "data_keys",
                columns: table => new
                {
                    version = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    wrapped_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    wrapped_data_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    wrapped_index_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    destroyed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_keys", x => x.version);
                    table.CheckConstraint("ck_data_keys_destroyed", "(state = 'Destroyed') = (wrapped_data_key IS NULL AND wrapped_index_key IS NULL)");
                });

            migrationBuilder.CreateIndex(
                name: "ix_people_insz_index",
                table: "people",
                column: "insz_index",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_data_keys_one_active",
                table: "data_keys",
                column: "state",
                unique: true,
                filter: "state = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_keys");

            migrationBuilder.DropIndex(
                name: "ix_people_insz_index",
                table: "people");

            migrationBuilder.DropColumn(
                name: "insz_index",
                table: "people");

            migrationBuilder.AlterColumn<string>(
                name: "insz",
                table: "people",
                type: "character(11)",
                fixedLength: true,
                maxLength: 11,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AlterColumn<string>(
                name: "display_name",
                table: "people",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.CreateIndex(
                name: "ix_people_insz",
                table: "people",
                column: "insz",
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_people_insz",
                table: "people",
                sql: "insz ~ '^[0-9]{11}$'");
        }
    }
}
