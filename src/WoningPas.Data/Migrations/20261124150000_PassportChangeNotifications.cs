using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WoningPas.Data.Migrations;

/// <summary>
/// Hand-written SQL only, no model change: every committed change to what a passport is read from is announced on the
/// <c>passport_changed</c> channel (see <see cref="PassportChanges"/>), whichever program made it (the API, an import,
/// an operator's SQL), so that each API replica can drop exactly the dwellings it holds in its passport cache. One
/// notification per statement, not per row: a statement that touches more than 200 dwellings says "everything".
/// </summary>
[DbContext(typeof(WoningPasDbContext))]
[Migration("20261124150000_PassportChangeNotifications")]
public sealed class PassportChangeNotifications : Migration
{
    /// <summary>Each table, how its rows lead to dwellings, and the column that does it.</summary>
    private static readonly (string Table, string Kind, string Column)[] Tables =
    [
        ("dwellings", "dwelling", "id"),
        ("addresses", "address", "id"),
        ("buildings", "building", "id"),
        ("building_parcels", "building", "building_id"),
        ("parcels", "parcel", "id"),
        ("real_rights", "dwelling", "dwelling_id"),
        ("energy_certificates", "dwelling", "dwelling_id"),
        ("deeds", "dwelling", "dwelling_id"),
        ("asbestos_certificates", "dwelling", "dwelling_id"),
        ("conformity_certificates", "dwelling", "dwelling_id"),
        ("installations", "dwelling", "dwelling_id"),
        ("owner_documents", "dwelling", "dwelling_id"),
        ("soil_certificates", "parcel", "parcel_id"),
        ("flood_scores", "parcel", "parcel_id"),
        ("permits", "parcel", "parcel_id"),
        // A destroyed or rotated data key changes what can be decrypted: every cached passport goes.
        ("data_keys", "all", "version"),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var sql = new StringBuilder("""
            CREATE FUNCTION passport_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                kind text := TG_ARGV[0];
                keys uuid[] := '{}';
                part uuid[];
                dwellings uuid[];
            BEGIN
                -- At most 201 keys are read: more than 200 is "everything" anyway, and a bulk load stays cheap.
                IF kind <> 'all' AND TG_OP IN ('INSERT', 'UPDATE') THEN
                    EXECUTE format('SELECT array_agg(DISTINCT k) FROM (SELECT %I AS k FROM new_rows LIMIT 201) s', TG_ARGV[1])
                        INTO part;
                    keys := keys || coalesce(part, '{}');
                END IF;
                IF kind <> 'all' AND TG_OP IN ('DELETE', 'UPDATE') THEN
                    EXECUTE format('SELECT array_agg(DISTINCT k) FROM (SELECT %I AS k FROM old_rows LIMIT 201) s', TG_ARGV[1])
                        INTO part;
                    keys := keys || coalesce(part, '{}');
                END IF;
                keys := ARRAY(SELECT DISTINCT unnest(keys));
                IF kind = 'all' OR TG_OP = 'TRUNCATE' OR cardinality(keys) > 200 THEN
                    PERFORM pg_notify('passport_changed', '*');
                    RETURN NULL;
                END IF;
                dwellings := CASE kind
                    WHEN 'dwelling' THEN keys
                    WHEN 'address' THEN ARRAY(SELECT d.id FROM dwellings d WHERE d.address_id = ANY(keys) LIMIT 201)
                    WHEN 'building' THEN ARRAY(SELECT d.id FROM dwellings d WHERE d.building_id = ANY(keys) LIMIT 201)
                    WHEN 'parcel' THEN ARRAY(SELECT DISTINCT d.id FROM building_parcels bp
                        JOIN dwellings d ON d.building_id = bp.building_id WHERE bp.parcel_id = ANY(keys) LIMIT 201)
                END;
                IF cardinality(dwellings) > 200 THEN
                    PERFORM pg_notify('passport_changed', '*');
                ELSIF cardinality(dwellings) > 0 THEN
                    PERFORM pg_notify('passport_changed', array_to_string(dwellings, ' '));
                END IF;
                RETURN NULL;
            END $$;

            """);
        foreach (var (table, kind, column) in Tables)
        {
            var args = $"'{kind}', '{column}'";
            sql.AppendLine($"""
                CREATE TRIGGER passport_changed_insert AFTER INSERT ON {table}
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_changed({args});
                CREATE TRIGGER passport_changed_update AFTER UPDATE ON {table}
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_changed({args});
                CREATE TRIGGER passport_changed_delete AFTER DELETE ON {table}
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_changed({args});
                CREATE TRIGGER passport_changed_truncate AFTER TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION passport_changed({args});
                """);
        }

        migrationBuilder.Sql(sql.ToString());
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP FUNCTION passport_changed() CASCADE;");
}
