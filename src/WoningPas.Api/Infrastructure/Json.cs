using System.Text.Json;
using System.Text.Json.Serialization;

namespace WoningPas.Api.Infrastructure;

public static class Json
{
    /// <summary>Enums travel as camelCase names ("coOwner", "notRequired"), never as numbers that shift on reorder.</summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
}
