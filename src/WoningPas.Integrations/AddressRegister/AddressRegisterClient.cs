using System.ComponentModel;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.AddressRegister;

/// <summary>An address as the Flemish address register returns it, by its persistent object id.</summary>
[ImmutableObject(true)]
public sealed record AddressAnswer(string ObjectId, string Street, string HouseNumber, string? BoxNumber,
    string PostalCode, string Municipality, string NisCode, DateTimeOffset UpdatedAt);

public sealed class AddressRegisterClient(HttpClient http, RegistryCache cache)
{
    public async Task<AddressAnswer> GetAsync(string objectId, CancellationToken cancellationToken) =>
        (await RegistryHttp.GetAsync<AddressAnswer>(http, $"address/v1/addresses/{Uri.EscapeDataString(objectId)}",
            notFoundIsNone: false, cancellationToken))!;

    public Task<RegistryRead<AddressAnswer>> ReadAsync(string objectId, Guid dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Address, objectId, Tags.For(dwellingId), token => GetAsync(objectId, token), cancellationToken);
}
