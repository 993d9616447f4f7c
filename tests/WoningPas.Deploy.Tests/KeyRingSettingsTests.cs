using YamlDotNet.RepresentationModel;

namespace WoningPas.Deploy.Tests;

/// <summary>
/// Every pod that runs the Api or the CLI must be able to open the key ring (EncryptionSettings, docs/encryption.md):
/// without it the Api fails its start-up validation and the CLI cannot encrypt a backup or re-key one.
/// </summary>
public sealed class KeyRingSettingsTests
{
    private const string Prefix = "Encryption__";

    public static TheoryData<string> KeyRingWorkloads => new(Manifests.All.Where(RunsWoningPas).Select(w => $"{w.Kind}/{w.Name}"));

    [Theory]
    [MemberData(nameof(KeyRingWorkloads))]
    public void Every_api_and_cli_workload_opens_the_key_ring_with_the_pin_from_a_secret(string workload)
    {
        var found = Manifests.All.Single(o => $"{o.Kind}/{o.Name}" == workload);

        var problems = Problems(found, Manifests.All);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_api_and_every_cli_job_on_data_are_among_them()
    {
        var names = Manifests.All.Where(RunsWoningPas).ToList();

        Assert.Contains(names, w => w.Kind == "Deployment" && w.Name == "woningpas-api");
        foreach (var command in new[] { "backup", "restore", "rotate-keys", "anchor-audit" })
        {
            Assert.Contains(names, w => CliContainers(w).Any(c => c.Items("args").FirstOrDefault()?.ToString() == command));
        }
    }

    [Fact]
    public void Anchors_are_written_every_five_minutes_to_a_worm_volume_the_api_cannot_mount()
    {
        var job = Assert.Single(Manifests.OfKind("CronJob"),
            c => CliContainers(c).Any(k => k.Items("args").FirstOrDefault()?.ToString() == "anchor-audit"));
        var container = CliContainers(job).Single();
        var args = container.Items("args").Select(a => a.ToString()).ToList();
        var anchors = args[args.IndexOf("--anchors") + 1];
        var mount = Assert.Single(container.Items("volumeMounts"), m => anchors.StartsWith(m.Text("mountPath") + "/", StringComparison.Ordinal));
        var claim = PodSpec(job).Items("volumes").Single(v => v.Text("name") == mount.Text("name")).Text("persistentVolumeClaim.claimName");
        var pvc = Manifests.Single("PersistentVolumeClaim", claim!);

        Assert.Equal("*/5 * * * *", job.Root.Text("spec.schedule"));
        Assert.Equal("Forbid", job.Root.Text("spec.concurrencyPolicy"));
        Assert.Contains("worm", pvc.Root.Text("spec.storageClassName") ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PodSpec(Manifests.Single("Deployment", "woningpas-api")).Items("volumes"),
            v => v.Text("persistentVolumeClaim.claimName") == claim);
    }

    [Fact]
    public void Rotation_is_a_manual_job_on_the_backup_volume()
    {
        var job = Assert.Single(Manifests.OfKind("CronJob"),
            c => CliContainers(c).Any(k => k.Items("args").FirstOrDefault()?.ToString() == "rotate-keys"));
        var args = CliContainers(job).Single().Items("args").Select(a => a.ToString()).ToList();
        var backup = Assert.Single(Manifests.OfKind("CronJob"),
            c => CliContainers(c).Any(k => k.Items("args").FirstOrDefault()?.ToString() == "backup"));

        Assert.Equal("true", job.Root.Text("spec.suspend"));
        Assert.Equal(ClaimAt(backup, "/backups"), ClaimAt(job, args[args.IndexOf("--dir") + 1]));
        Assert.Null(CliContainers(job).Single().Items("volumeMounts").Single(m => m.Text("mountPath") == "/backups").Text("readOnly"));
    }

    [Fact]
    public void The_api_connects_as_the_restricted_role_and_rotation_as_the_owner()
    {
        // CloudNativePG keeps the database owner's credentials in the Secret "<cluster>-app".
        var ownerSecret = Assert.Single(Manifests.OfKind("Cluster")).Name + "-app";
        var rotation = Assert.Single(Manifests.OfKind("CronJob"),
            c => CliContainers(c).Any(k => k.Items("args").FirstOrDefault()?.ToString() == "rotate-keys"));
        var backup = Assert.Single(Manifests.OfKind("CronJob"),
            c => CliContainers(c).Any(k => k.Items("args").FirstOrDefault()?.ToString() == "backup"));

        var api = DatabaseSecrets(Manifests.Single("Deployment", "woningpas-api"));
        Assert.Single(api);
        Assert.DoesNotContain(ownerSecret, api);
        Assert.Equal([ownerSecret], DatabaseSecrets(rotation));
        Assert.DoesNotContain(ownerSecret, DatabaseSecrets(backup));
    }

    [Fact]
    public void A_release_migrates_as_the_owner_and_the_cluster_declares_the_api_role()
    {
        // The owner has no CREATEROLE; the migrations may only grant the Api's role, so the cluster must create it.
        var cluster = Assert.Single(Manifests.OfKind("Cluster"));
        var migrate = Assert.Single(Manifests.OfKind("CronJob"),
            c => CliContainers(c).Any(k => k.Items("args").FirstOrDefault()?.ToString() == "migrate"));
        var role = Assert.Single(cluster.Root.Items("spec.managed.roles"), r => r.Text("name") == "woningpas_app");

        Assert.Equal([cluster.Name + "-app"], DatabaseSecrets(migrate));
        Assert.Equal("true", migrate.Root.Text("spec.suspend"));
        Assert.Equal("present", role.Text("ensure"));
        Assert.Equal("true", role.Text("login"));
        Assert.Equal(DatabaseSecrets(Manifests.Single("Deployment", "woningpas-api")), [role.Text("passwordSecret.name")!]);
    }

    [Fact]
    public void No_pin_is_kept_in_the_repository()
    {
        Assert.DoesNotContain(Manifests.OfKind("Secret"), s => s.Root.Node("data") is not null || s.Root.Node("stringData") is not null);
        Assert.DoesNotContain(Manifests.OfKind("ConfigMap").SelectMany(c => c.Root.Node("data").Labels().Keys),
            k => k.Contains("pin", StringComparison.OrdinalIgnoreCase));
    }

    // The checker itself must fail on each way the settings can go wrong: each alteration of the real api.yaml is found.
    [Theory]
    [InlineData("PIN from a ConfigMap", "secretKeyRef:\n                  name: woningpas-hsm-pin\n                  key: pin", "configMapKeyRef:\n                  name: woningpas-hsm-pin\n                  key: pin")]
    [InlineData("PIN as a literal", "- name: Encryption__Pkcs11__Pin\n              valueFrom:\n                secretKeyRef:\n                  name: woningpas-hsm-pin\n                  key: pin", "- name: Encryption__Pkcs11__Pin\n              value: \"1234\"")]
    [InlineData("no PIN", "- name: Encryption__Pkcs11__Pin", "- name: Unrelated__Pin")]
    [InlineData("no module path", "- name: Encryption__Pkcs11__LibraryPath", "- name: Unrelated__LibraryPath")]
    [InlineData("no token label", "- name: Encryption__Pkcs11__TokenLabel", "- name: Unrelated__TokenLabel")]
    [InlineData("no key label", "- name: Encryption__Pkcs11__KeyLabel", "- name: Unrelated__KeyLabel")]
    [InlineData("file provider", "- name: Encryption__Provider\n              value: Pkcs11", "- name: Encryption__Provider\n              value: File")]
    [InlineData("module mounted writable", "mountPath: /opt/pkcs11\n              readOnly: true", "mountPath: /opt/pkcs11")]
    [InlineData("label from a missing ConfigMap", "name: woningpas-encryption\n                  key: token-label", "name: woningpas-nothing\n                  key: token-label")]
    public void The_check_finds_each_broken_setting(string what, string original, string altered)
    {
        var text = File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "deploy", "k8s", "onprem", "api.yaml"));
        Assert.True(text.Contains(original, StringComparison.Ordinal), $"{what}: api.yaml no longer has the text this case alters");
        var others = Manifests.All.Where(o => o.File != Path.Combine("deploy", "k8s", "onprem", "api.yaml")).ToList();
        var api = Manifests.Parse("api.yaml", new StringReader(text)).Single(o => o.Kind == "Deployment");
        var broken = Manifests.Parse("api.yaml", new StringReader(text.Replace(original, altered, StringComparison.Ordinal))).Single(o => o.Kind == "Deployment");

        Assert.Empty(Problems(api, others));
        Assert.NotEmpty(Problems(broken, others));
    }

    /// <summary>Every reason the workload's Api or CLI containers could not open the key ring; empty when they can.</summary>
    private static List<string> Problems(K8sObject workload, IReadOnlyList<K8sObject> all)
    {
        var problems = new List<string>();
        var containers = CliContainers(workload).ToList();
        if (containers.Count == 0)
        {
            problems.Add($"{workload}: runs the Api or the CLI but no container has their image");
        }

        foreach (var container in containers)
        {
            var what = $"{workload}/{container.Text("name")}";
            var env = container.Items("env").ToList();
            YamlNode? Env(string name)
            {
                var matches = env.Where(e => e.Text("name") == Prefix + name).ToList();
                if (matches.Count > 1)
                {
                    problems.Add($"{what}: {Prefix}{name} is set {matches.Count} times");
                }

                return matches.FirstOrDefault();
            }

            if (Env("Provider") is { } provider && provider.Text("value") != "Pkcs11")
            {
                problems.Add($"{what}: {Prefix}Provider must be Pkcs11 (a literal), the KEK lives in the HSM");
            }

            foreach (var development in new[] { "DevelopmentKeyFile", "Pkcs11__CreateKeyIfMissing" })
            {
                if (Env(development) is { } set && set.Text("value") != "false")
                {
                    problems.Add($"{what}: {Prefix}{development} is for Development only");
                }
            }

            var libraryPath = FromConfigMap(Env("Pkcs11__LibraryPath"), "Pkcs11__LibraryPath");
            FromConfigMap(Env("Pkcs11__TokenLabel"), "Pkcs11__TokenLabel");
            FromConfigMap(Env("Pkcs11__KeyLabel"), "Pkcs11__KeyLabel");
            if (libraryPath is not null && !container.Items("volumeMounts").Any(m =>
                    libraryPath.StartsWith(m.Text("mountPath")!.TrimEnd('/') + "/", StringComparison.Ordinal) && m.Text("readOnly") == "true"))
            {
                problems.Add($"{what}: the PKCS#11 module {libraryPath} is not on a read-only volume mount");
            }

            var pin = Env("Pkcs11__Pin");
            var secret = pin?.Node("valueFrom") as YamlMappingNode;
            if (pin is null)
            {
                problems.Add($"{what}: no {Prefix}Pkcs11__Pin");
            }
            else if (pin.Node("value") is not null || secret is not { Children.Count: 1 }
                     || pin.Text("valueFrom.secretKeyRef.name") is not { Length: > 0 } || pin.Text("valueFrom.secretKeyRef.key") is not { Length: > 0 })
            {
                problems.Add($"{what}: {Prefix}Pkcs11__Pin must come from a Secret (valueFrom.secretKeyRef), nothing else");
            }

            string? FromConfigMap(YamlNode? variable, string name)
            {
                var map = variable?.Text("valueFrom.configMapKeyRef.name");
                var key = variable?.Text("valueFrom.configMapKeyRef.key");
                var value = all.SingleOrDefault(o => o.Kind == "ConfigMap" && o.Name == map && o.Namespace == workload.Namespace)
                    ?.Root.Node("data").Labels().GetValueOrDefault(key ?? "");
                if (value is not { Length: > 0 })
                {
                    problems.Add($"{what}: {Prefix}{name} must come from a key of a ConfigMap in the manifests ({map ?? "none"}/{key ?? "none"})");
                }

                return value;
            }
        }

        return problems;
    }

    private static bool RunsWoningPas(K8sObject workload) =>
        workload.Kind is "Deployment" or "CronJob" or "Job"
        && (CliContainers(workload).Any()
            || PodLabels(workload).GetValueOrDefault("app.kubernetes.io/name") is "woningpas-api" or "woningpas-cli");

    private static IEnumerable<YamlNode> CliContainers(K8sObject workload) =>
        PodSpec(workload).Items("containers").Where(c =>
            c.Text("image") is { } image && (image.StartsWith("woningpas/api:", StringComparison.Ordinal) || image.StartsWith("woningpas/cli:", StringComparison.Ordinal)));

    /// <summary>The Secrets a workload's containers take their database user and password from.</summary>
    private static List<string> DatabaseSecrets(K8sObject workload) =>
        [.. PodSpec(workload).Items("containers").SelectMany(c => c.Items("env"))
            .Where(e => e.Text("name") is "DB_USER" or "DB_PASSWORD")
            .Select(e => e.Text("valueFrom.secretKeyRef.name") ?? "(not from a Secret)").Distinct()];

    private static YamlNode PodSpec(K8sObject workload) =>
        workload.Root.Node(workload.Kind == "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec") ?? new YamlMappingNode();

    private static Dictionary<string, string> PodLabels(K8sObject workload) =>
        workload.Root.Node(workload.Kind == "CronJob" ? "spec.jobTemplate.spec.template.metadata.labels" : "spec.template.metadata.labels").Labels();

    private static string? ClaimAt(K8sObject workload, string path)
    {
        var mount = CliContainers(workload).Single().Items("volumeMounts").Single(m => m.Text("mountPath") == path);
        return PodSpec(workload).Items("volumes").Single(v => v.Text("name") == mount.Text("name")).Text("persistentVolumeClaim.claimName");
    }
}
