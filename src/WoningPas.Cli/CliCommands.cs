namespace WoningPas.Cli;

/// <summary>
/// One command's shape: how many words may follow it, which options are bare flags and which take a value.
/// </summary>
public sealed record CliCommand(string Name, int MaxPositional, IReadOnlyList<string> Flags, IReadOnlyList<string> ValueOptions);

/// <summary>
/// Every command and option the CLI accepts, checked before a command runs. Without it a misspelled option
/// (<c>--dri /backups</c>) was silently ignored and the command ran with its default; the deployment's contract test
/// (tests/WoningPas.Deploy.Tests) checks the Jobs' and CronJobs' <c>args</c> against the same table.
/// </summary>
public static class CliCommands
{
    public static IReadOnlyList<CliCommand> All { get; } =
    [
        new("migrate", 0, [], []),
        new("seed", 0, [], ["--dwellings", "--seed"]),
        // Two shapes: `import epc FILE [--skip-invalid]` (an agency's CSV) and `import --from DIR --key PEM` (the exit).
        new("import", 2, ["--skip-invalid"], ["--from", "--key", "--database"]),
        new("verify-audit", 0, [], ["--anchors"]),
        new("anchor-audit", 0, [], ["--anchors"]),
        new("rotate-keys", 0, [], ["--batch", "--dir"]),
        new("key-versions", 0, [], ["--dir"]),
        new("destroy-key", 1, [], ["--dir"]),
        new("create-kek", 0, [], []),
        new("backup", 0, [], ["--dir"]),
        new("restore", 0, ["--verify"], ["--generation", "--dir"]),
        new("export", 0, [], ["--to", "--recipient"]),
        new("exit-keypair", 0, [], ["--out"]),
    ];

    /// <summary>Why these arguments are not a command the CLI accepts, naming the word; null when they are.</summary>
    public static string? Problem(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            return "no command given.";
        }

        var command = All.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            return $"unknown command '{args[0]}'.";
        }

        var positional = 0;
        for (var i = 1; i < args.Count; i++)
        {
            var word = args[i];
            if (command.ValueOptions.Contains(word))
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"{command.Name}: option {word} needs a value.";
                }

                i++;
            }
            else if (word.StartsWith("--", StringComparison.Ordinal))
            {
                if (!command.Flags.Contains(word))
                {
                    return $"{command.Name}: unknown option '{word}'.";
                }
            }
            else if (++positional > command.MaxPositional)
            {
                return $"{command.Name}: unexpected argument '{word}'.";
            }
        }

        return null;
    }
}
