using System.Globalization;

namespace WoningPas.DevHost;

/// <summary>
/// Where the running Web and Api listen, for <c>./build.sh edge</c> (deploy/edge) to put nginx in front of them:
/// .data/devhost/origins.env, as shell assignments of host:port. Removed when the DevHost stops.
/// </summary>
public sealed class OriginsFile : IDisposable
{
    private readonly string _path;

    private OriginsFile(string path) => _path = path;

    public static OriginsFile Write(string repositoryRoot, DevStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var directory = Path.Combine(repositoryRoot, ".data", "devhost");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "origins.env");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            WONINGPAS_WEB={stack.WebUrl.Host}:{stack.WebUrl.Port}
            WONINGPAS_API={stack.ApiUrl.Host}:{stack.ApiUrl.Port}

            """));
        return new OriginsFile(path);
    }

    public void Dispose() => File.Delete(_path);
}
