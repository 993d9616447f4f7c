using Npgsql;

namespace WoningPas.Bench;

/// <summary>The maintenance statements and measurements the benches run on their database, each on a connection of its own.</summary>
internal static class BenchSql
{
    /// <summary>Runs a constant statement of a bench without a time limit: a VACUUM of Flanders takes minutes.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
#pragma warning disable CA2100 // constant statements of the benches
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The database's size on disk, tables, indexes and TOAST together.</summary>
    public static async Task<long> DatabaseSizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
