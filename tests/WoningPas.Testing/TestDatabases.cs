using Npgsql;
using Testcontainers.PostgreSql;
using WoningPas.Data;
using WoningPas.LocalPostgres;

namespace WoningPas.Testing;

/// <summary>
/// Real PostgreSQL for every test that touches data, found in this order: the server in WONINGPAS_TEST_DB; a
/// Testcontainers container where a Docker engine answers; otherwise a private throwaway cluster from the installed
/// binaries. One migrated, seeded template database per test process; each test class gets its own clone.
/// </summary>
public static class TestDatabases
{
    /// <summary>
    /// The PostgreSQL major version the tests run (the container's; ./build.sh installs Debian's, 15 on bookworm).
    /// The production cluster (deploy/k8s/onprem/postgres.yaml) is pinned to it, and a test holds them together.
    /// </summary>
    public const int PostgresMajor = 15;

    private static readonly Lazy<Task<Server>> SharedServer = new(StartServerAsync);

    /// <summary>A fresh database with the current schema and the demo data; dropped when the handle is disposed.</summary>
    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var server = await SharedServer.Value;
        var name = "woningpas_test_" + Guid.NewGuid().ToString("N")[..12];
        await server.ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {server.TemplateName}", cancellationToken);
        return new TestDatabase(server.ConnectionStringFor(name), server.AppConnectionStringFor(name), name, server);
    }

    /// <summary>A database without any schema, for tests of the migrations themselves; dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(CancellationToken cancellationToken = default)
    {
        var server = await SharedServer.Value;
        var name = "woningpas_empty_" + Guid.NewGuid().ToString("N")[..12];
        await server.ExecuteAsync($"CREATE DATABASE {name}", cancellationToken);
        return new TestDatabase(server.ConnectionStringFor(name), server.AppConnectionStringFor(name), name, server);
    }

    private static async Task<Server> StartServerAsync()
    {
        var given = Environment.GetEnvironmentVariable("WONINGPAS_TEST_DB");
        Server server;
        if (!string.IsNullOrWhiteSpace(given))
        {
            server = new Server(given, stop: null);
        }
        else if (await TryDockerAsync() is { } container)
        {
            server = new Server(container.GetConnectionString(), stop: container.DisposeAsync);
        }
        else
        {
            var directory = Path.Combine(Path.GetTempPath(), "woningpas-test-pg-" + Guid.NewGuid().ToString("N")[..8]);
            var cluster = await PrivateCluster.StartAsync(directory, durable: false, CancellationToken.None);
            server = new Server(cluster.AdminConnectionString, stop: cluster.DisposeAsync);
        }

        // xunit ends the process after the last test; the server must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().AsTask().GetAwaiter().GetResult();
        await server.CreateTemplateAsync();
        return server;
    }

    private static async Task<PostgreSqlContainer?> TryDockerAsync()
    {
        var socket = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");
        if (!socket)
        {
            return null;
        }

        var container = new PostgreSqlBuilder($"postgres:{PostgresMajor}-alpine").Build();
        try
        {
            await container.StartAsync();
            return container;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await container.DisposeAsync();
            return null;
        }
    }

    internal sealed class Server(string adminConnectionString, Func<ValueTask>? stop)
    {
        private const string AppRolePassword = "woningpas-app-test-only";

        private readonly NpgsqlConnectionStringBuilder _admin = new(adminConnectionString);
        private int _stopped;

        public string TemplateName { get; } = "woningpas_template_" + Guid.NewGuid().ToString("N")[..12];

        public string ConnectionStringFor(string database) =>
            new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database }.ConnectionString;

        /// <summary>The restricted role the hosts use, as in production; migrations and test set-up use the owner.</summary>
        public string AppConnectionStringFor(string database) =>
            new NpgsqlConnectionStringBuilder(_admin.ConnectionString)
            {
                Database = database,
                Username = DatabaseRoles.App,
                Password = AppRolePassword,
            }.ConnectionString;

        public async Task CreateTemplateAsync()
        {
            await ExecuteAsync($"CREATE DATABASE {TemplateName}", CancellationToken.None);
            await DatabaseSetup.MigrateAsync(ConnectionStringFor(TemplateName), TestKeys.Kek, seedDemoData: true,
                CancellationToken.None);
            // The migration creates the role without a password; a server that checks passwords (a container, a
            // given server) needs one. A throwaway test password, the same in every test process on the server.
            await ExecuteAsync($"ALTER ROLE {DatabaseRoles.App} PASSWORD '{AppRolePassword}'", CancellationToken.None);
            // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
            NpgsqlConnection.ClearAllPools();
        }

        public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(_admin.ConnectionString);
            await connection.OpenAsync(cancellationToken);
#pragma warning disable CA2100 // database names are generated here, never taken from input
            await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask StopAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0 && stop is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await stop();
            }
        }
    }
}

/// <summary>One test class's database. Dropping it forcibly ends the connections the hosts still pool.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TestDatabases.Server _server;

    internal TestDatabase(string connectionString, string appConnectionString, string name, TestDatabases.Server server)
    {
        ConnectionString = connectionString;
        AppConnectionString = appConnectionString;
        Name = name;
        _server = server;
    }

    /// <summary>As the owner of the schema (migrations, test set-up, tampering on purpose).</summary>
    public string ConnectionString { get; }

    /// <summary>As the application's restricted role: what the hosts connect with.</summary>
    public string AppConnectionString { get; }

    public string Name { get; }

    public async ValueTask DisposeAsync() =>
        await _server.ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
}
