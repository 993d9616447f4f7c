using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    acting_for_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    actor_role = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    actor_organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    object_kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    object_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: true),
                    purpose = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    client_address = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                    correlation_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    previous_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "addresses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    register_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    street = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    house_number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    box_number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    postal_code = table.Column<string>(type: "character(4)", fixedLength: true, maxLength: 4, nullable: false),
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    nis_code = table.Column<string>(type: "character(5)", fixedLength: true, maxLength: 5, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_addresses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "parcels",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    ca_pa_key = table.Column<string>(type: "character(17)", fixedLength: true, maxLength: 17, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_parcels", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "people",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    insz = table.Column<string>(type: "character(11)", fixedLength: true, maxLength: 11, nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_people", x => x.id);
                    table.CheckConstraint("ck_people_insz", "insz ~ '^[0-9]{11}$'");
                });

            migrationBuilder.CreateTable(
                name: "dwellings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    address_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parcel_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dwellings", x => x.id);
                    table.ForeignKey(
                        name: "fk_dwellings_addresses_address_id",
                        column: x => x.address_id,
                        principalTable: "addresses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dwellings_parcels_parcel_id",
                        column: x => x.parcel_id,
                        principalTable: "parcels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "energy_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    certificate_number = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    primary_energy_use = table.Column<decimal>(type: "numeric(7,1)", precision: 7, scale: 1, nullable: false),
                    label = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_energy_certificates", x => x.id);
                    table.ForeignKey(
                        name: "fk_energy_certificates_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "real_rights",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    holder_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    share = table.Column<decimal>(type: "numeric(9,8)", precision: 9, scale: 8, nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_real_rights", x => x.id);
                    table.CheckConstraint("ck_real_rights_period", "valid_until IS NULL OR valid_until >= valid_from");
                    table.CheckConstraint("ck_real_rights_share", "share > 0 AND share <= 1");
                    table.ForeignKey(
                        name: "fk_real_rights_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_real_rights_people_holder_id",
                        column: x => x.holder_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_log_dwelling_id_occurred_at",
                table: "access_log",
                columns: new[] { "dwelling_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_addresses_register_id",
                table: "addresses",
                column: "register_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dwellings_address_id",
                table: "dwellings",
                column: "address_id");

            migrationBuilder.CreateIndex(
                name: "ix_dwellings_parcel_id",
                table: "dwellings",
                column: "parcel_id");

            migrationBuilder.CreateIndex(
                name: "ix_energy_certificates_certificate_number",
                table: "energy_certificates",
                column: "certificate_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_energy_certificates_dwelling_id_issued_on",
                table: "energy_certificates",
                columns: new[] { "dwelling_id", "issued_on" });

            migrationBuilder.CreateIndex(
                name: "ix_parcels_ca_pa_key",
                table: "parcels",
                column: "ca_pa_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_people_insz",
                table: "people",
                column: "insz",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_real_rights_dwelling_id",
                table: "real_rights",
                column: "dwelling_id");

            migrationBuilder.CreateIndex(
                name: "ix_real_rights_holder_id_dwelling_id",
                table: "real_rights",
                columns: new[] { "holder_id", "dwelling_id" });

            // The access log is append-only: whoever connects, rows cannot be changed or removed, and the table
            // cannot be emptied. (The application's own role also lacks UPDATE and DELETE: see issue 7.)
            migrationBuilder.Sql("""
                CREATE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END;
                $$;
                CREATE TRIGGER access_log_no_update_or_delete
                    BEFORE UPDATE OR DELETE ON access_log
                    FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();
                CREATE TRIGGER access_log_no_truncate
                    BEFORE TRUNCATE ON access_log
                    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER access_log_no_truncate ON access_log;
                DROP TRIGGER access_log_no_update_or_delete ON access_log;
                DROP FUNCTION access_log_refuse_change();
                """);

            migrationBuilder.DropTable(
                name: "access_log");

            migrationBuilder.DropTable(
                name: "energy_certificates");

            migrationBuilder.DropTable(
                name: "real_rights");

            migrationBuilder.DropTable(
                name: "dwellings");

            migrationBuilder.DropTable(
                name: "people");

            migrationBuilder.DropTable(
                name: "addresses");

            migrationBuilder.DropTable(
                name: "parcels");
        }
    }
}
