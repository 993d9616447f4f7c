using YamlDotNet.RepresentationModel;

namespace WoningPas.Deploy.Tests;

/// <summary>The production properties issue 9 asks of deploy/k8s: a manifest that loses one fails here.</summary>
public sealed class KubernetesManifestTests
{
    private const string Api = "woningpas-api";
    private const string Web = "woningpas-web";
    private const string DatabaseCluster = "woningpas-db";

    public static TheoryData<string> Hosts => new() { Api, Web };

    public static TheoryData<string> Workloads => new(Manifests.OfKind("Deployment").Select(d => d.Name)
        .Concat(Manifests.OfKind("CronJob").Select(c => c.Name)));

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Each_host_runs_several_replicas_with_an_autoscaler_and_a_disruption_budget(string host)
    {
        var deployment = Manifests.Single("Deployment", host);
        var podLabels = deployment.Root.Node("spec.template.metadata.labels").Labels();

        Assert.True(int.Parse(deployment.Root.Text("spec.replicas") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 2, $"{host}: at least two replicas");
        var hpa = Assert.Single(Manifests.OfKind("HorizontalPodAutoscaler"),
            h => h.Root.Text("spec.scaleTargetRef.kind") == "Deployment" && h.Root.Text("spec.scaleTargetRef.name") == host);
        Assert.True(int.Parse(hpa.Root.Text("spec.minReplicas") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 2, $"{host}: the autoscaler keeps two replicas");
        Assert.True(int.Parse(hpa.Root.Text("spec.maxReplicas") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > int.Parse(hpa.Root.Text("spec.minReplicas")!, System.Globalization.CultureInfo.InvariantCulture),
            $"{host}: the autoscaler can scale out for a launch");
        Assert.NotEmpty(hpa.Root.Items("spec.metrics"));
        var pdb = Assert.Single(Manifests.OfKind("PodDisruptionBudget"),
            p => Selects(p.Root.Node("spec.selector.matchLabels").Labels(), podLabels));
        Assert.True(pdb.Root.Node("spec.minAvailable") is not null || pdb.Root.Node("spec.maxUnavailable") is not null,
            $"{host}: the disruption budget sets minAvailable or maxUnavailable");
        Assert.Equal(deployment.Namespace, hpa.Namespace);
        Assert.Equal(deployment.Namespace, pdb.Namespace);
    }

    [Fact]
    public void The_api_tells_ready_from_live()
    {
        var container = Containers(Manifests.Single("Deployment", Api)).Single();

        Assert.Equal("/healthz/ready", container.Text("readinessProbe.httpGet.path"));
        Assert.Equal("/healthz/live", container.Text("livenessProbe.httpGet.path"));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_workload_has_probes_resources_and_runs_non_root_on_a_read_only_root_filesystem(string name)
    {
        var workload = Manifests.All.Single(o => o.Name == name && o.Kind is "Deployment" or "CronJob");
        var pod = PodSpec(workload);

        Assert.Equal("true", pod.Text("securityContext.runAsNonRoot"));
        foreach (var container in Containers(workload))
        {
            var what = $"{name}/{container.Text("name")}";
            Assert.Equal("true", container.Text("securityContext.readOnlyRootFilesystem"));
            Assert.Equal("false", container.Text("securityContext.allowPrivilegeEscalation"));
            foreach (var part in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
            {
                Assert.True(container.Text("resources." + part) is { Length: > 0 }, $"{what}: resources.{part}");
            }

            if (workload.Kind == "Deployment")
            {
                Assert.True(container.Node("readinessProbe") is not null, $"{what}: readinessProbe");
                Assert.True(container.Node("livenessProbe") is not null, $"{what}: livenessProbe");
            }
        }
    }

    [Fact]
    public void The_on_premise_namespace_denies_by_default()
    {
        var denyAll = Policies("woningpas").Where(p => p.Root.Node("spec.podSelector") is YamlMappingNode { Children.Count: 0 });

        Assert.Contains(denyAll, p => p.Root.Items("spec.policyTypes").Select(t => t.ToString()).Order().SequenceEqual(["Egress", "Ingress"])
            && p.Root.Node("spec.ingress") is null && p.Root.Node("spec.egress") is null);
    }

    [Fact]
    public void The_api_is_reached_only_from_the_edge_and_on_its_metrics_port_from_monitoring()
    {
        var peers = IngressPeers(Manifests.Single("Deployment", Api)).ToList();

        Assert.NotEmpty(peers);
        foreach (var (peer, ports) in peers)
        {
            var ns = peer.Node("namespaceSelector.matchLabels").Labels().GetValueOrDefault("kubernetes.io/metadata.name");
            var pods = peer.Node("podSelector.matchLabels").Labels();
            Assert.True(peer.Node("ipBlock") is null, "no address range may reach the Api");
            Assert.True(
                (ns == "woningpas-edge" && pods.GetValueOrDefault("app.kubernetes.io/name") == "woningpas-edge" && ports.SequenceEqual(["8080"]))
                || (ns == "monitoring" && pods.Count > 0 && ports.SequenceEqual(["9464"])),
                $"unexpected peer of the Api: namespace {ns ?? "(own)"}, pods {string.Join(",", pods)}, ports {string.Join(",", ports)}");
        }

        Assert.Contains(peers, p => p.Peer.Node("namespaceSelector.matchLabels").Labels().GetValueOrDefault("kubernetes.io/metadata.name") == "woningpas-edge");
    }

    [Fact]
    public void The_database_accepts_sql_only_from_the_api_the_cli_jobs_and_its_own_instances()
    {
        var databasePods = new Dictionary<string, string> { ["cnpg.io/cluster"] = DatabaseCluster };
        var peers = IngressPeersFor(databasePods, "woningpas").ToList();
        var sqlPeers = peers.Where(p => p.Ports.Contains("5432") || p.Ports.Count == 0).ToList();

        Assert.NotEmpty(sqlPeers);
        foreach (var (peer, _) in sqlPeers)
        {
            Assert.True(peer.Node("namespaceSelector") is null && peer.Node("ipBlock") is null, "SQL only from pods in the namespace");
            var pods = peer.Node("podSelector.matchLabels").Labels();
            Assert.True(
                pods.GetValueOrDefault("app.kubernetes.io/name") is "woningpas-api" or "woningpas-cli"
                || pods.GetValueOrDefault("cnpg.io/cluster") == DatabaseCluster,
                $"unexpected SQL peer of the database: {string.Join(",", pods)}");
        }

        Assert.Contains(sqlPeers, p => p.Peer.Node("podSelector.matchLabels").Labels().GetValueOrDefault("app.kubernetes.io/name") == "woningpas-api");
        Assert.DoesNotContain(sqlPeers, p => p.Peer.Node("podSelector.matchLabels").Labels().GetValueOrDefault("app.kubernetes.io/name") == "woningpas-web");
    }

    [Fact]
    public void Redis_is_reached_only_from_the_api()
    {
        var peers = IngressPeers(Manifests.Single("Deployment", "woningpas-redis")).ToList();

        Assert.NotEmpty(peers);
        Assert.All(peers, p => Assert.Equal("woningpas-api",
            p.Peer.Node("podSelector.matchLabels").Labels().GetValueOrDefault("app.kubernetes.io/name")));
    }

    [Fact]
    public void PostgreSQL_runs_on_CloudNativePG_with_scheduled_encrypted_backups()
    {
        var cluster = Manifests.Single("Cluster", DatabaseCluster);
        var scheduled = Assert.Single(Manifests.OfKind("ScheduledBackup"));

        Assert.StartsWith("postgresql.cnpg.io/", cluster.Root.Text("apiVersion"), StringComparison.Ordinal);
        Assert.True(int.Parse(cluster.Root.Text("spec.instances") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 2, "a replica to fail over to");
        Assert.NotNull(cluster.Root.Text("spec.backup.barmanObjectStore.destinationPath"));
        Assert.NotNull(cluster.Root.Text("spec.backup.retentionPolicy"));
        Assert.Equal("AES256", cluster.Root.Text("spec.backup.barmanObjectStore.data.encryption"));
        Assert.Equal("AES256", cluster.Root.Text("spec.backup.barmanObjectStore.wal.encryption"));
        Assert.Equal(DatabaseCluster, scheduled.Root.Text("spec.cluster.name"));
        Assert.Equal(6, scheduled.Root.Text("spec.schedule")!.Split(' ').Length);
    }

    /// <summary>
    /// The passport's p99 holds only while its random reads come from memory (docs/data-model.md: from disk, 425 ms),
    /// so the database's memory must exceed the size the data bench measured for all of Flanders, with room to spare,
    /// and shared_buffers must fit in it.
    /// </summary>
    [Fact]
    public void The_database_holds_all_of_Flanders_in_memory_as_the_data_bench_measured_it()
    {
        var cluster = Manifests.Single("Cluster", DatabaseCluster);
        using var bench = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "bench", "results", "data.json")));
        var flanders = bench.RootElement.GetProperty("db_size_bytes").GetInt64();

        var memory = Bytes(cluster.Root.Text("spec.resources.limits.memory")!);
        var sharedBuffers = Bytes(cluster.Root.Text("spec.postgresql.parameters.shared_buffers")!);

        Assert.True(memory >= 2 * flanders, $"{memory} bytes of memory for a database of {flanders}");
        Assert.InRange(sharedBuffers, memory / 8, memory / 2);
    }

    /// <summary>A Kubernetes quantity (16Gi) or a PostgreSQL size (4GB), in bytes.</summary>
    private static long Bytes(string size)
    {
        var digits = new string([.. size.TakeWhile(char.IsAsciiDigit)]);
        var unit = size[digits.Length..];
        long factor = unit switch
        {
            "Gi" or "GB" => 1L << 30,
            "Mi" or "MB" => 1L << 20,
            _ => throw new FormatException($"unexpected size unit in {size}"),
        };
        return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * factor;
    }

    [Fact]
    public void The_cli_takes_a_verified_backup_every_day_and_drills_a_restore_every_week()
    {
        var cronJobs = Manifests.OfKind("CronJob").ToList();
        var backup = Assert.Single(cronJobs, c => Containers(c).Single().Items("args").Select(a => a.ToString()).FirstOrDefault() == "backup");
        var drill = Assert.Single(cronJobs, c => Containers(c).Single().Items("args").Select(a => a.ToString()).Take(2).SequenceEqual(["restore", "--verify"]));

        Assert.Matches(@"^\d+ \d+ \* \* \*$", backup.Root.Text("spec.schedule"));
        Assert.Matches(@"^\d+ \d+ \* \* \d$", drill.Root.Text("spec.schedule"));
        Assert.Equal("Forbid", backup.Root.Text("spec.concurrencyPolicy"));
    }

    [Fact]
    public void The_web_host_gets_no_database_secret()
    {
        var web = Containers(Manifests.Single("Deployment", Web)).Single();

        Assert.DoesNotContain(web.Items("env"), e => e.Text("name")!.StartsWith("ConnectionStrings", StringComparison.Ordinal));
        Assert.Null(web.Node("envFrom"));
    }

    private static bool Selects(Dictionary<string, string> selector, Dictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.GetValueOrDefault(s.Key) == s.Value);

    private static YamlNode PodSpec(K8sObject workload) =>
        workload.Kind == "CronJob" ? workload.Root.Node("spec.jobTemplate.spec.template.spec")! : workload.Root.Node("spec.template.spec")!;

    private static IEnumerable<YamlNode> Containers(K8sObject workload) => PodSpec(workload).Items("containers");

    private static IEnumerable<K8sObject> Policies(string ns) =>
        Manifests.OfKind("NetworkPolicy").Where(p => p.Namespace == ns);

    private static IEnumerable<(YamlNode Peer, List<string> Ports)> IngressPeers(K8sObject deployment) =>
        IngressPeersFor(deployment.Root.Node("spec.template.metadata.labels").Labels(), deployment.Namespace);

    /// <summary>Every peer any policy admits to pods with these labels, with the ports it admits them on.</summary>
    private static IEnumerable<(YamlNode Peer, List<string> Ports)> IngressPeersFor(Dictionary<string, string> podLabels, string ns) =>
        from policy in Policies(ns)
        let selector = policy.Root.Node("spec.podSelector.matchLabels").Labels()
        where selector.Count > 0 && selector.All(s => podLabels.GetValueOrDefault(s.Key) == s.Value)
        from rule in policy.Root.Items("spec.ingress")
        let ports = rule.Items("ports").Select(p => p.Text("port") ?? "").ToList()
        from peer in rule.Node("from") is YamlSequenceNode peers ? peers.Children : [new YamlMappingNode()]
        select (peer, ports);
}
