namespace WoningPas.Integrations.Registries;

/// <summary>The registries, as named in configuration (<c>Registries:{Name}</c>), in cache keys and in tags.</summary>
public static class RegistryNames
{
    public const string Address = "Address";
    public const string Energy = "Energy";
    public const string Waste = "Waste";
    public const string Flood = "Flood";
    public const string Permits = "Permits";
    public const string Cadastre = "Cadastre";

    public static IReadOnlyList<string> All { get; } = [Address, Energy, Waste, Flood, Permits, Cadastre];

    /// <summary>Registries write a CaPaKey's slash as a dash in a path.</summary>
    public static string PathCaPaKey(string capaKey)
    {
        ArgumentNullException.ThrowIfNull(capaKey);
        return Uri.EscapeDataString(capaKey.Replace('/', '-'));
    }
}
