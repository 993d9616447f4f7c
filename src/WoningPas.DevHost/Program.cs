using System.Runtime.InteropServices;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.LocalPostgres;

namespace WoningPas.DevHost;

/// <summary>
/// One command for a working WoningPas on this machine: a private PostgreSQL under .data/, migrated and seeded, then
/// Api + Web behind the edge. Ctrl-C stops all of it, the database server too. (A named class rather than top-level
/// statements, so that the Api's Program stays the only Program the tests see.)
/// </summary>
internal static class DevHostProgram
{
    public static async Task Main(string[] args)
    {
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        var url = ArgumentValue(args, "--urls") ?? Environment.GetEnvironmentVariable("WONINGPAS_URL") ?? "http://localhost:5080";
        var root = RepositoryRoot.Find();

        Console.WriteLine("WoningPas: starting PostgreSQL under .data/pg ...");
        await using var cluster = await PrivateCluster.StartAsync(Path.Combine(root, ".data", "pg"), durable: true, stopping.Token);
        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, "woningpas", stopping.Token);
        var connectionString = cluster.ConnectionStringFor("woningpas");
        // The Api reads the same Encryption__… variables through its configuration; ./build.sh run sets them.
        var kek = KeyEncryptionKeys.Create(EncryptionSettings.FromEnvironment(), "Development");
        await DatabaseSetup.MigrateAsync(connectionString, kek, seedDemoData: true, stopping.Token);

        // The hosts connect as the application's restricted role, as in production; migrations ran as the owner.
        var appConnectionString = cluster.ConnectionStringFor("woningpas", DatabaseRoles.App);
        var replicas = int.Parse(ArgumentValue(args, "--replicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        await using var redis = replicas > 1 ? await LocalRedis.StartAsync(Path.Combine(root, ".data", "redis"), stopping.Token) : null;
        await using var stack = await DevStack.StartAsync(
            new DevStackOptions(appConnectionString, url, root)
            {
                Replicas = replicas,
                RedisConfiguration = redis?.Configuration,
                ClamdDirectory = Path.Combine(root, ".data", "clamd"),
            },
            stopping.Token);
        var apis = string.Join(Environment.NewLine + new string(' ', 31), stack.ApiUrls);
        var redisLine = redis is null ? "" : $"{Environment.NewLine}  Redis (shared cache)         127.0.0.1:{redis.Port} (no persistence, files in .data/redis)";
        using var origins = OriginsFile.Write(root, stack);
        var personas = string.Join(Environment.NewLine,
            DemoData.Personas.Select(p => $"      {p.Name,-14} {p.Role,-8} {p.DisplayName}"));
        var identity = stack.Identity;
        Console.WriteLine($"""

            WoningPas runs on {stack.EdgeUrl}
              Web (cloud, public pages)    {stack.WebUrl}
              Api (on premise, personal)   {apis}
              Registry simulators          {stack.Simulators.BaseUrl} (counters at {stack.Simulators.BaseUrl}_sim/stats)
              Sign-in stand-in, citizens   {identity.Citizen.Issuer} (OpenID Connect, ACM/IDM shape)
              Sign-in stand-in, staff      {identity.Staff.Issuer} (OpenID Connect, Entra ID shape)
              PostgreSQL                   127.0.0.1:{cluster.Port} (database woningpas, data in .data/pg){redisLine}
              Virus scanner (clamd)        {stack.Clamd.Endpoint} (test signatures only: EICAR is refused)

            Sign in at {stack.EdgeUrl}account/login?returnUrl=/woningpas (staff: {stack.EdgeUrl}staff) with a persona's
            name on the stand-in's form and the password {identity.Password} (new at every start), or in one request
            with {stack.EdgeUrl}account/dev-login?persona=NAME&returnUrl=/woningpas (this local run only):
            {personas}

            Ctrl-C stops everything.
            """);

        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("WoningPas: stopping ...");
        }
    }

    private static string? ArgumentValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
