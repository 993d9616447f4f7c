using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.IdentityProvider;

namespace WoningPas.DevHost;

/// <summary>The demo personas as the identity stand-in's users: citizens at the citizen issuer, staff at the staff tenant.</summary>
public static class DemoIdentities
{
    public static IReadOnlyList<StandInUser> Users { get; } = [.. DemoData.Personas.Select(ToUser)];

    private static StandInUser ToUser(DemoPersona persona)
    {
        var names = persona.DisplayName.Split(' ', 2);
        var (given, family) = (names[0], names.Length > 1 ? names[1] : "");
        if (persona.Role == Roles.Citizen)
        {
            return new StandInUser(persona.Name, persona.SubjectId, IssuerKind.Citizen, given, family)
            {
                NationalRegisterNumber = persona.Insz,
                Email = persona.Email,
            };
        }

        var appRole = StaffAppRoles.Of(persona.Role, persona.Organisation)
            ?? throw new InvalidOperationException($"Persona {persona.Name} has no staff app role.");
        return new StandInUser(persona.Name, persona.SubjectId, IssuerKind.Staff, given, family) { Roles = [appRole] };
    }
}
