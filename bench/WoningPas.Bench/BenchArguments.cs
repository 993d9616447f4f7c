using System.Globalization;

namespace WoningPas.Bench;

/// <summary>The options every bench takes on its command line, as <c>--name N</c> or a bare <c>--flag</c>.</summary>
internal static class BenchArguments
{
    public static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;
}
