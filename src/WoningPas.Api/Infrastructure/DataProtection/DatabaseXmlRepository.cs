using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using WoningPas.Data.DataProtection;

namespace WoningPas.Api.Infrastructure.DataProtection;

/// <summary>
/// The Data Protection key ring in PostgreSQL, shared by every replica. Append-only: Data Protection never changes
/// a stored key (revocations are new elements), and the Api's role may not either. Plain Npgsql rather than the
/// EF Core package for this: two statements, no extra dependency, and no pooled context resolved during start-up.
/// </summary>
public sealed class DatabaseXmlRepository(string connectionString) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT xml FROM {DataProtectionKeyRow.Table} ORDER BY id", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            $"INSERT INTO {DataProtectionKeyRow.Table} (friendly_name, xml) VALUES ($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
