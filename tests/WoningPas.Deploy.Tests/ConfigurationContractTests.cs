using System.Globalization;
using WoningPas.Cli;
using WoningPas.Data.Encryption;

namespace WoningPas.Deploy.Tests;

/// <summary>
/// The deployed configuration is the tested configuration: every variable deploy/k8s gives a host is one that host
/// reads, every setting the host requires at start is given, every ConfigMap key is used, and every CLI job runs a
/// command the CLI accepts. A misspelled or stale key (<c>Redis__Configuration</c> once bound to nothing) fails here,
/// naming it, rather than silently in production.
/// </summary>
public sealed class ConfigurationContractTests
{
    /// <summary>Variables the framework reads outside configuration binding, each with why it is there.</summary>
    private static readonly Dictionary<string, string> FrameworkVariables = new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "the host's environment; the contract builds the host in it",
        ["ASPNETCORE_HTTP_PORTS"] = "Kestrel's listeners",
    };

    public static TheoryData<string> Containers => new(ContainerSettings.Of(Manifests.All).Select(c => c.ToString()));

    [Theory]
    [MemberData(nameof(Containers))]
    public void Every_setting_of_a_container_is_read_by_its_host_and_the_host_would_start(string container)
    {
        var settings = ContainerSettings.Of(Manifests.All).Single(c => c.ToString() == container);

        var problems = Problems(settings);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_host_is_among_the_checked_containers()
    {
        var hosts = ContainerSettings.Of(Manifests.All).Select(c => c.Host).ToHashSet();

        Assert.Equal([WoningPasHost.Api, WoningPasHost.Web, WoningPasHost.Cli], hosts.Order());
    }

    [Fact]
    public void Every_config_map_key_is_used_by_a_container()
    {
        var used = ContainerSettings.Of(Manifests.All).Select(c => c.Workload).Distinct()
            .SelectMany(w => ContainerSettings.PodSpec(w).Items("containers"))
            .SelectMany(c => c.Items("env").Select(e => (e.Text("valueFrom.configMapKeyRef.name"), e.Text("valueFrom.configMapKeyRef.key")))
                .Concat(c.Items("envFrom").Where(f => f.Text("configMapRef.name") is not null)
                    .SelectMany(f => Manifests.Single("ConfigMap", f.Text("configMapRef.name")!).Root.Node("data").Labels().Keys
                        .Select(k => ((string?)f.Text("configMapRef.name"), (string?)k)))))
            .ToHashSet();

        var unused = Manifests.OfKind("ConfigMap")
            .SelectMany(m => m.Root.Node("data").Labels().Keys.Select(k => (m.Name, k)))
            .Where(key => !used.Contains(key))
            .Select(key => $"ConfigMap {key.Name}: key {key.k} is used by no container")
            .ToList();

        Assert.True(unused.Count == 0, string.Join(Environment.NewLine, unused));
    }

    /// <summary>
    /// Until replicas count each other (issue 16: a heartbeat in Redis), each Api pod divides the registries' capacity
    /// and, while Redis is down, the rate-limit budgets by a configured count. The autoscaler may run up to its
    /// maximum, so that is the count: at fewer pods the cluster uses less than a registry allows, never more.
    /// </summary>
    [Fact]
    public void The_api_divides_its_budgets_by_the_autoscalers_maximum()
    {
        var api = ContainerSettings.Of(Manifests.All).Single(c => c.Host == WoningPasHost.Api);
        var hpa = Assert.Single(Manifests.OfKind("HorizontalPodAutoscaler"), h => h.Root.Text("spec.scaleTargetRef.name") == api.Workload.Name);
        var maximum = hpa.Root.Text("spec.maxReplicas");

        Assert.Equal(maximum, api.Value("RateLimits__Replicas"));
        Assert.Equal(maximum, api.Value("Registries__Replicas"));
        Assert.True(int.Parse(maximum!, CultureInfo.InvariantCulture) >= int.Parse(api.Workload.Root.Text("spec.replicas")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_api_shares_its_limits_and_cache_through_the_redis_the_manifests_run()
    {
        var api = ContainerSettings.Of(Manifests.All).Single(c => c.Host == WoningPasHost.Api);
        var redis = Manifests.Single("Service", "woningpas-redis");
        var port = Assert.Single(redis.Root.Items("spec.ports")).Text("port");

        Assert.StartsWith($"{redis.Name}:{port},", api.Value("ConnectionStrings__Redis"), StringComparison.Ordinal);
    }

    /// <summary>The tests run PostgreSQL of this major (Testcontainers image and the private cluster's binaries).</summary>
    [Fact]
    public void The_database_cluster_runs_the_major_version_the_tests_run()
    {
        var cluster = Assert.Single(Manifests.OfKind("Cluster"));
        var image = cluster.Root.Text("spec.imageName") ?? "";
        var tag = image[(image.LastIndexOf(':') + 1)..];

        Assert.Matches(@"^\d+\.\d+$", tag);
        Assert.Equal(Testing.TestDatabases.PostgresMajor, int.Parse(tag.Split('.')[0], CultureInfo.InvariantCulture));
    }

    // The check itself must find each mismatch issue 16 found in api.yaml: each one restored is reported, by name.
    [Theory]
    [InlineData("ConnectionStrings__Redis", "Redis__Configuration", "Redis__Configuration")]
    [InlineData("RateLimits__Replicas", "RateLimits__Replicass", "RateLimits__Replicass")]
    [InlineData("- name: Registries__Replicas", "- name: Registries__Replica", "Registries__Replica")]
    [InlineData("- name: ForwardedHeaders__KnownNetworks__0", "- name: ForwardedHeaders__KnownNetwork__0", "ForwardedHeaders__KnownNetwork__0")]
    [InlineData("- name: Registries__Permits__ApiKey", "- name: Unrelated__ApiKey", "RegistryOptions[Permits]")]
    public void The_check_names_each_broken_setting(string original, string altered, string named)
    {
        var path = Path.Combine(Manifests.RepositoryRoot, "deploy", "k8s", "onprem", "api.yaml");
        var text = File.ReadAllText(path);
        Assert.True(text.Contains(original, StringComparison.Ordinal), $"api.yaml no longer has '{original}'");
        var others = Manifests.All.Where(o => o.File != Path.GetRelativePath(Manifests.RepositoryRoot, path)).ToList();
        var broken = Manifests.Parse("api.yaml", new StringReader(text.Replace(original, altered, StringComparison.Ordinal)));

        var problems = Problems(ContainerSettings.Of([.. others, .. broken]).Single(c => c.Host == WoningPasHost.Api));

        Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));
    }

    // And each way a CLI job in backup-jobs.yaml can go wrong (the first job there, the daily backup, altered).
    [Theory]
    [InlineData("args: [\"backup\", \"--dir\", \"/backups\"]", "args: [\"backup\", \"--dri\", \"/backups\"]", "unknown option '--dri'")]
    [InlineData("args: [\"backup\", \"--dir\", \"/backups\"]", "args: [\"backups\", \"--dir\", \"/backups\"]", "unknown command 'backups'")]
    [InlineData("- name: ConnectionStrings__WoningPas", "- name: ConnectionStrings__WoningPass", "ConnectionStrings__WoningPass is not read by the CLI")]
    [InlineData("- name: Encryption__Pkcs11__TokenLabel", "- name: Encryption__Pkcs11__Tokenlabel", "Encryption:Pkcs11:TokenLabel is required")]
    public void The_check_names_each_broken_cli_job(string original, string altered, string named)
    {
        var path = Path.Combine(Manifests.RepositoryRoot, "deploy", "k8s", "onprem", "backup-jobs.yaml");
        var text = File.ReadAllText(path);
        var at = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(at >= 0, $"backup-jobs.yaml no longer has '{original}'");
        var others = Manifests.All.Where(o => o.File != Path.GetRelativePath(Manifests.RepositoryRoot, path)).ToList();
        var broken = Manifests.Parse("backup-jobs.yaml", new StringReader(text[..at] + altered + text[(at + original.Length)..]));

        var problems = ContainerSettings.Of([.. others, .. broken]).Where(c => c.Host == WoningPasHost.Cli).SelectMany(Problems).ToList();

        Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("backup", "--dri", "/backups")]
    [InlineData("restore", "--verfy")]
    [InlineData("anchor-audits")]
    [InlineData("rotate-keys", "--dir")]
    public void The_cli_refuses_what_it_would_not_run(params string[] args)
    {
        Assert.NotNull(CliCommands.Problem(args));
    }

    /// <summary>Every reason this container's host would not take its settings; empty when it takes them all.</summary>
    private static List<string> Problems(ContainerSettings container)
    {
        var problems = new List<string>(container.Problems);
        var duplicates = container.Environment.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key);
        problems.AddRange(duplicates.Select(d => $"{container}: {d} is set more than once"));
        if (container.Host == WoningPasHost.Cli)
        {
            problems.AddRange(CliProblems(container));
            return problems;
        }

        var host = HostContract.Of(container);
        foreach (var setting in container.Environment)
        {
            var known = FrameworkVariables.ContainsKey(setting.Name) || container.IsSubstitutionOnly(setting.Name) || host.Reads(setting.Name);
            if (!known)
            {
                problems.Add($"{container}: {setting.Name} binds to nothing the {container.Host} reads (no options property or connection string has this name)");
            }
        }

        problems.AddRange(host.ValidationFailures.Select(f => $"{container}: the {container.Host} would not start: {f}"));
        return problems;
    }

    private static IEnumerable<string> CliProblems(ContainerSettings container)
    {
        foreach (var setting in container.Environment)
        {
            if (!CliEnvironment.All.Contains(setting.Name) && !container.IsSubstitutionOnly(setting.Name))
            {
                yield return $"{container}: {setting.Name} is not read by the CLI (it reads {string.Join(", ", CliEnvironment.All)})";
            }
        }

        if (container.Value(CliEnvironment.ConnectionString) is null)
        {
            yield return $"{container}: {CliEnvironment.ConnectionString} is not set; the CLI would look for a local cluster";
        }

        var environment = container.Value(CliEnvironment.EnvironmentName) ?? "Production";
        foreach (var problem in EncryptionSettings.FromEnvironment(container.Value).Problems(environment))
        {
            yield return $"{container}: {problem}";
        }

        if (CliCommands.Problem(container.Args) is { } refused)
        {
            yield return $"{container}: args [{string.Join(' ', container.Args)}]: {refused}";
        }
    }
}
