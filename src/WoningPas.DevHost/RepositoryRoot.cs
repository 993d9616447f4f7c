namespace WoningPas.DevHost;

/// <summary>The checkout the local run and the tests work in: the folder that holds WoningPas.sln.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "WoningPas.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("WoningPas.sln not found above the working directory or the binaries.");
    }
}
