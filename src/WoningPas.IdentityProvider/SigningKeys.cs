using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace WoningPas.IdentityProvider;

/// <summary>
/// RS256 signing keys that rotate as the real providers' do: the JWKS always publishes the key in use, the next one
/// (so that relying parties know it before the first token it signs) and the previous one (so that tokens it signed
/// still validate). A rotation makes the next key the signer. Three slots, always in this order.
/// </summary>
public sealed class SigningKeys : IPostConfigureOptions<OpenIddictServerOptions>
{
    private readonly Lock _gate = new();
    private readonly SigningCredentials[] _slots = [NewCredentials(), NewCredentials(), NewCredentials()];
    private OpenIddictServerOptions? _options;

    /// <summary>The key id tokens are signed with now.</summary>
    public string CurrentKeyId => _slots[0].Key.KeyId;

    /// <summary>The credentials tokens are signed with now: for tests that must forge a token the provider could sign.</summary>
    public SigningCredentials Current => _slots[0];

    internal void Register(OpenIddictServerBuilder server)
    {
        foreach (var credentials in _slots)
        {
            server.AddSigningCredentials(credentials);
        }
    }

    /// <summary>OpenIddict sorts its keys at start; this puts the signer first again, where it looks for one.</summary>
    public void PostConfigure(string? name, OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Arrange(options);
    }

    /// <summary>Signs with the next key from now on; returns the new signer's key id.</summary>
    public string Rotate()
    {
        lock (_gate)
        {
            var previous = _slots[0];
            _slots[0] = _slots[1];
            _slots[1] = NewCredentials();
            _slots[2] = previous;
            if (_options is not null)
            {
                Arrange(_options);
            }

            return CurrentKeyId;
        }
    }

    private void Arrange(OpenIddictServerOptions options)
    {
        options.SigningCredentials.RemoveAll(credentials => credentials.Key is RsaSecurityKey);
        options.SigningCredentials.InsertRange(0, _slots);
    }

    private static SigningCredentials NewCredentials()
    {
        // The key lives as long as the stand-in: the credentials own it.
#pragma warning disable CA2000
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)) };
#pragma warning restore CA2000
        return new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
    }
}
