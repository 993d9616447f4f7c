using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using WoningPas.Data.Encryption;

namespace WoningPas.Api.Infrastructure.DataProtection;

/// <summary>
/// Encrypts the secret part of a Data Protection key (the element holding its master key) for storage in
/// <c>data_protection_keys</c>: a fresh 256-bit key per element, AES-256-GCM over the XML, that key wrapped by the
/// KEK in the PKCS#11 token. So a database dump or a replica's read access to the table yields no key that signs a
/// cookie without the HSM. The KEK's id is stored beside the wrapped key so that a host with another KEK says so
/// instead of failing on a tag.
/// </summary>
public sealed class KekXmlEncryptor(IKeyEncryptionKey kek) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var nonce = RandomNumberGenerator.GetBytes(KekXmlDecryptor.NonceSize);
            var tag = new byte[KekXmlDecryptor.TagSize];
            var cipher = new byte[plain.Length];
            using (var aes = new AesGcm(key, KekXmlDecryptor.TagSize))
            {
                aes.Encrypt(nonce, plain, cipher, tag, KekXmlDecryptor.AssociatedData(kek.Id));
            }

            CryptographicOperations.ZeroMemory(plain);
            var element = new XElement(KekXmlDecryptor.ElementName,
                new XAttribute("format", KekXmlDecryptor.Format),
                new XAttribute("kek", kek.Id),
                new XElement("wrappedKey", Convert.ToBase64String(kek.Wrap(key))),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("ciphertext", Convert.ToBase64String(cipher)));
            return new EncryptedXmlInfo(element, typeof(KekXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

/// <summary>
/// The reverse of <see cref="KekXmlEncryptor"/>. Data Protection creates it by the type name recorded in each key's
/// XML, handing it the host's services; every failure names the table and the cause, because it stops the host
/// (<see cref="ApiDataProtection"/> checks every key at start).
/// </summary>
public sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    internal const string ElementName = "kekEncryptedKey";
    internal const string Format = "1";
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    /// <summary>The format and the KEK id, bound into the ciphertext so that neither can be swapped unnoticed.</summary>
    internal static byte[] AssociatedData(string kekId) => Encoding.UTF8.GetBytes($"woningpas-data-protection-key/{Format}/{kekId}");

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var kek = services.GetRequiredService<IKeyEncryptionKey>();
        var wrappedBy = (string?)encryptedElement.Attribute("kek");
        if (encryptedElement.Name != ElementName || (string?)encryptedElement.Attribute("format") != Format)
        {
            throw new CryptographicException("A key in data_protection_keys is not in the KEK-wrapped format this host reads.");
        }

        if (wrappedBy != kek.Id)
        {
            throw new CryptographicException(
                $"A key in data_protection_keys is wrapped by {wrappedBy}, but this host is configured with {kek.Id} (section Encryption); see docs/encryption.md on rotating the KEK.");
        }

        byte[] key;
        try
        {
            key = kek.Unwrap(Convert.FromBase64String(encryptedElement.Element("wrappedKey")?.Value ?? ""));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or Net.Pkcs11Interop.Common.Pkcs11Exception)
        {
            throw new CryptographicException(
                $"The wrapped key of a key in data_protection_keys does not unwrap under {kek.Id}: the row was altered.", exception);
        }

        try
        {
            var cipher = Convert.FromBase64String(encryptedElement.Element("ciphertext")?.Value ?? "");
            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(Convert.FromBase64String(encryptedElement.Element("nonce")?.Value ?? ""), cipher,
                Convert.FromBase64String(encryptedElement.Element("tag")?.Value ?? ""), plain, AssociatedData(kek.Id));
            var element = XElement.Parse(Encoding.UTF8.GetString(plain));
            CryptographicOperations.ZeroMemory(plain);
            return element;
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            throw new CryptographicException("A key in data_protection_keys does not decrypt: the row was altered.", exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
