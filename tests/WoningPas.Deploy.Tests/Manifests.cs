using YamlDotNet.RepresentationModel;

namespace WoningPas.Deploy.Tests;

/// <summary>One Kubernetes object from deploy/k8s, with small helpers to walk it.</summary>
public sealed record K8sObject(string File, YamlMappingNode Root)
{
    public string Kind => Root.Text("kind") ?? "";

    public string Name => Root.Node("metadata")?.Text("name") ?? "";

    public string Namespace => Root.Node("metadata")?.Text("namespace") ?? "";

    public override string ToString() => $"{Kind}/{Name} ({File})";
}

public static class Manifests
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyList<K8sObject> All { get; } = Load();

    public static IEnumerable<K8sObject> OfKind(string kind) => All.Where(o => o.Kind == kind);

    public static K8sObject Single(string kind, string name) =>
        All.SingleOrDefault(o => o.Kind == kind && o.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No {kind} named {name} in deploy/k8s.");

    private static List<K8sObject> Load()
    {
        var objects = new List<K8sObject>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "deploy", "k8s"), "*.yaml", SearchOption.AllDirectories).Order())
        {
            using var reader = new StreamReader(file);
            objects.AddRange(Parse(Path.GetRelativePath(RepositoryRoot, file), reader));
        }

        return objects;
    }

    /// <summary>Every object in one YAML text (a manifest file, or a test's altered copy of one).</summary>
    public static List<K8sObject> Parse(string file, TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return [.. stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .Select(root => new K8sObject(file, root))];
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WoningPas.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WoningPas.sln not found above the test's directory.");
    }
}

public static class YamlExtensions
{
    /// <summary>A descendant by dotted path of mapping keys (<c>spec.template.spec</c>), or null.</summary>
    public static YamlNode? Node(this YamlNode node, string path)
    {
        var current = node;
        foreach (var key in path.Split('.'))
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    public static string? Text(this YamlNode node, string path) => (node.Node(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, string path) =>
        node.Node(path) is YamlSequenceNode sequence ? sequence.Children : [];

    /// <summary>The labels a selector or metadata names, as key=value pairs.</summary>
    public static Dictionary<string, string> Labels(this YamlNode? node) =>
        node is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : [];
}
