using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace WoningPas.Deploy.Tests;

/// <summary>Which of our hosts a container runs, by its image.</summary>
public enum WoningPasHost
{
    None,
    Api,
    Web,
    Cli,
}

/// <summary>One environment variable of a container, with the value Kubernetes would give it.</summary>
/// <param name="Name">The variable, or for <c>envFrom</c> the ConfigMap key that becomes one.</param>
/// <param name="Value">The literal, the ConfigMap's value, or for a Secret a stand-in naming it.</param>
/// <param name="FromSecret">Set from a Secret, whose value is not in the repository.</param>
public sealed record EnvironmentSetting(string Name, string Value, bool FromSecret);

/// <summary>
/// A container of deploy/k8s as the host inside it sees it: its variables with ConfigMap values looked up, Secrets
/// replaced by stand-ins, and <c>$(VAR)</c> references expanded as the kubelet does.
/// </summary>
public sealed partial record ContainerSettings(K8sObject Workload, string Container, WoningPasHost Host,
    IReadOnlyList<EnvironmentSetting> Environment, IReadOnlyList<string> Args, IReadOnlyList<string> Problems)
{
    public override string ToString() => $"{Workload.Kind}/{Workload.Name}/{Container}";

    public string? Value(string name) => Environment.LastOrDefault(e => e.Name == name)?.Value;

    /// <summary>Variables used only inside another variable's value (<c>$(DB_USER)</c>), not by the host itself.</summary>
    public bool IsSubstitutionOnly(string name) => !name.Contains("__", StringComparison.Ordinal) && RawReferences.Contains(name);

    private IReadOnlySet<string> RawReferences { get; init; } = new HashSet<string>();

    /// <summary>Every container of every workload in <paramref name="all"/> that runs one of our hosts.</summary>
    public static IEnumerable<ContainerSettings> Of(IReadOnlyList<K8sObject> all) =>
        from workload in all
        where workload.Kind is "Deployment" or "CronJob" or "Job"
        let pod = PodSpec(workload)
        from container in pod.Items("containers")
        let host = HostOf(container.Text("image"))
        where host != WoningPasHost.None
        select Read(workload, container, host, all);

    public static YamlNode PodSpec(K8sObject workload) => workload.Kind switch
    {
        "CronJob" => workload.Root.Node("spec.jobTemplate.spec.template.spec")!,
        _ => workload.Root.Node("spec.template.spec")!,
    };

    private static WoningPasHost HostOf(string? image) => image?.Split(':')[0] switch
    {
        "woningpas/api" => WoningPasHost.Api,
        "woningpas/web" => WoningPasHost.Web,
        "woningpas/cli" => WoningPasHost.Cli,
        _ => WoningPasHost.None,
    };

    private static ContainerSettings Read(K8sObject workload, YamlNode container, WoningPasHost host, IReadOnlyList<K8sObject> all)
    {
        var problems = new List<string>();
        var what = $"{workload.Kind}/{workload.Name}/{container.Text("name")}";
        var settings = new List<EnvironmentSetting>();
        foreach (var source in container.Items("envFrom"))
        {
            if (source.Text("configMapRef.name") is { } mapName)
            {
                var map = ConfigMap(all, workload.Namespace, mapName);
                if (map is null)
                {
                    problems.Add($"{what}: envFrom names ConfigMap {mapName}, which deploy/k8s does not define");
                    continue;
                }

                settings.AddRange(map.Node("data").Labels().Select(pair => new EnvironmentSetting(pair.Key, pair.Value, FromSecret: false)));
            }
            else
            {
                // A Secret's keys are not in the repository, so nothing could check what it sets: name each key in env.
                problems.Add($"{what}: envFrom other than a ConfigMap hides which settings it sets; use env with secretKeyRef");
            }
        }

        foreach (var variable in container.Items("env"))
        {
            var name = variable.Text("name")!;
            if (variable.Text("value") is { } literal)
            {
                settings.Add(new EnvironmentSetting(name, literal, FromSecret: false));
            }
            else if (variable.Node("valueFrom.secretKeyRef") is { } secret)
            {
                // A Secret's value is the site's; a stand-in of the right shape lets the host's validation run (ids are GUIDs).
                var key = secret.Text("key")!;
                var placeholder = key.EndsWith("-id", StringComparison.Ordinal)
                    ? "00000000-0000-4000-8000-000000000000"
                    : $"secret-{secret.Text("name")}-{key}";
                settings.Add(new EnvironmentSetting(name, placeholder, FromSecret: true));
            }
            else if (variable.Node("valueFrom.configMapKeyRef") is { } reference)
            {
                var map = ConfigMap(all, workload.Namespace, reference.Text("name")!);
                var key = reference.Text("key")!;
                if (map?.Node("data").Labels().GetValueOrDefault(key) is { } value)
                {
                    settings.Add(new EnvironmentSetting(name, value, FromSecret: false));
                }
                else
                {
                    problems.Add($"{what}: {name} reads key {key} of ConfigMap {reference.Text("name")}, which deploy/k8s does not define");
                }
            }
            else
            {
                problems.Add($"{what}: {name} has neither a value nor a Secret or ConfigMap reference");
            }
        }

        var references = new HashSet<string>(settings.SelectMany(s => ReferenceRegex().Matches(s.Value).Select(m => m.Groups[1].Value)));
        var expanded = new List<EnvironmentSetting>();
        foreach (var setting in settings)
        {
            // The kubelet expands $(NAME) from the variables defined before this one.
            var value = ReferenceRegex().Replace(setting.Value, m =>
                expanded.LastOrDefault(e => e.Name == m.Groups[1].Value)?.Value ?? m.Value);
            expanded.Add(setting with { Value = value });
        }

        return new ContainerSettings(workload, container.Text("name")!, host, expanded,
            [.. container.Items("args").Select(a => a.ToString())], problems) { RawReferences = references };
    }

    private static YamlNode? ConfigMap(IReadOnlyList<K8sObject> all, string ns, string name) =>
        all.SingleOrDefault(o => o.Kind == "ConfigMap" && o.Name == name && o.Namespace == ns)?.Root;

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex ReferenceRegex();
}
