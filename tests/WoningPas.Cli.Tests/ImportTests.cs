using Npgsql;
using WoningPas.Cli.Importing;

namespace WoningPas.Cli.Tests;

public sealed class ImportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    // Demo addresses: Gent (a house) and Leuven (a house) each hold exactly one dwelling.
    private const string Gent = "https://data.vlaanderen.be/id/adres/2000001";
    private const string Leuven = "https://data.vlaanderen.be/id/adres/2000003";
    private static readonly DateOnly Today = new(2026, 11, 23);

    private readonly string _directory = Directory.CreateTempSubdirectory("woningpas-import-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_valid_epc_file_is_imported_with_labels_and_validity_computed_by_the_rules()
    {
        var file = Write("epc-valid.csv",
            "certificate_number,address_register_id,issued_on,primary_energy_use,label",
            $"EPC-T-0001,{Gent},2024-05-01,95.5,A",
            $"EPC-T-0002,{Leuven},2020-02-29,500,E");

        var summary = await ImportAsync("epc", file, skipInvalid: false);

        Assert.True(summary.Written);
        Assert.Equal(2, summary.Imported);
        Assert.Equal("A|2034-05-01", await ScalarAsync("SELECT label || '|' || valid_until FROM energy_certificates WHERE source_reference = 'EPC-T-0001'"));
        // DOMAIN.md: E is 400-500 (500 exactly is E); valid 10 years, so 2020-02-29 runs to 2030-02-28.
        Assert.Equal("E|2030-02-28", await ScalarAsync("SELECT label || '|' || valid_until FROM energy_certificates WHERE source_reference = 'EPC-T-0002'"));
    }

    [Fact]
    public async Task One_bad_row_rejects_the_whole_file_and_writes_nothing()
    {
        var before = await ScalarAsync("SELECT count(*)::text FROM energy_certificates");
        var file = Write("epc-bad.csv",
            "certificate_number,address_register_id,issued_on,primary_energy_use",
            $"EPC-T-0101,{Gent},2024-05-01,120",
            $"EPC-T-0102,{Leuven},2024-13-01,120");

        var summary = await ImportAsync("epc", file, skipInvalid: false);

        Assert.False(summary.Written);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(before, await ScalarAsync("SELECT count(*)::text FROM energy_certificates"));
        var report = await File.ReadAllLinesAsync(summary.ReportPath!, TestContext.Current.CancellationToken);
        Assert.Equal(["line,field,rule", "3,\"issued_on\",\"must be a date as yyyy-MM-dd\""], report);
    }

    [Fact]
    public async Task Skip_invalid_writes_the_valid_rows_and_reports_the_rejects()
    {
        var file = Write("epc-skip.csv",
            "certificate_number;address_register_id;issued_on;primary_energy_use;label",
            $"EPC-T-0201;{Gent};2023-01-10;250;C",
            $"EPC-T-0202;https://data.vlaanderen.be/id/adres/999;2023-01-10;250;C",
            $"EPC-T-0203;{Leuven};2023-01-10;250;B",
            $"EPC-T-0201;{Leuven};2023-01-10;250;C");

        var summary = await ImportAsync("epc", file, skipInvalid: true);

        Assert.True(summary.Written);
        Assert.Equal(1, summary.Imported);
        Assert.Equal(3, summary.Rejected);
        Assert.Equal("1", await ScalarAsync("SELECT count(*)::text FROM energy_certificates WHERE source_reference LIKE 'EPC-T-02%'"));
        var report = string.Join('\n', await File.ReadAllLinesAsync(summary.ReportPath!, TestContext.Current.CancellationToken));
        Assert.Contains("3,\"address_register_id\",\"matches no dwelling in WoningPas\"", report, StringComparison.Ordinal);
        Assert.Contains("4,\"label\",\"does not match the primary energy use (expected C)\"", report, StringComparison.Ordinal);
        Assert.Contains("5,\"certificate_number\",\"appears more than once in the file (first on line 2)\"", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_rejected_before_any_row()
    {
        var file = Write("epc-header.csv", "certificate_number,issued_on", "EPC-T-0301,2024-01-01");

        var summary = await ImportAsync("epc", file, skipInvalid: true);

        Assert.False(summary.Written);
        var report = await File.ReadAllTextAsync(summary.ReportPath!, TestContext.Current.CancellationToken);
        Assert.Contains("address_register_id primary_energy_use", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asbestos_certificates_with_high_risk_materials_are_valid_five_years()
    {
        var file = Write("asbestos.csv",
            "certificate_number,address_register_id,issued_on,high_risk",
            $"ASB-T-0001,{Leuven},2024-03-01,true");

        var summary = await ImportAsync("asbestos", file, skipInvalid: false);

        Assert.True(summary.Written);
        Assert.Equal("2029-03-01", await ScalarAsync("SELECT valid_until::text FROM asbestos_certificates WHERE source_reference = 'ASB-T-0001'"));
    }

    [Fact]
    public async Task A_future_issue_date_and_a_missing_value_are_field_errors()
    {
        var file = Write("asbestos-bad.csv",
            "certificate_number,address_register_id,issued_on,high_risk",
            $"ASB-T-0101,{Gent},2027-01-01,maybe",
            $",{Gent},2024-01-01,false");

        var summary = await ImportAsync("asbestos", file, skipInvalid: false);

        Assert.False(summary.Written);
        var report = await File.ReadAllLinesAsync(summary.ReportPath!, TestContext.Current.CancellationToken);
        Assert.Contains("2,\"issued_on\",\"must not be in the future\"", report);
        Assert.Contains("2,\"high_risk\",\"must be true or false\"", report);
        Assert.Contains("3,\"certificate_number\",\"is required\"", report);
    }

    private Task<ImportSummary> ImportAsync(string source, string file, bool skipInvalid) =>
        new Importer(database.ConnectionString, TextWriter.Null)
            .ImportAsync(ImportSource.Find(source, Today)!, file, skipInvalid, TestContext.Current.CancellationToken);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))?.ToString();
    }
}
