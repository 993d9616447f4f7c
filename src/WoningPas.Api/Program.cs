namespace WoningPas.Api;

/// <summary>
/// The Api's entry point. A named class rather than top-level statements: the end-to-end tests load Api and Web in
/// one process, and two global Program types would collide. Not static, so that it can name the assembly to
/// WebApplicationFactory.
/// </summary>
public sealed class ApiProgram
{
    private ApiProgram()
    {
    }

    public static async Task Main(string[] args) =>
        await ApiApp.Build(new WebApplicationOptions { Args = args }).RunAsync();
}
