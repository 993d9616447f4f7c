using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace WoningPas.Data.Encryption;

/// <summary>
/// The KEK as a non-extractable, sensitive AES-256 key inside a PKCS#11 token (an HSM in production, SoftHSM2 in
/// development and CI). Data keys are wrapped and unwrapped by the token with CKM_AES_KEY_WRAP_PAD (RFC 5649): the
/// KEK's bits never leave the token. Only a data key on its way in or out passes through a short-lived session
/// object. The HSM is called when a key ring loads or a key version is made, never per value.
/// </summary>
public sealed class Pkcs11KeyEncryptionKey : IKeyEncryptionKey
{
    private static readonly Pkcs11InteropFactories Factories = new();

    // C_Initialize runs once per process and module; the login state is per application, so operations take turns.
    private static readonly ConcurrentDictionary<string, Lazy<IPkcs11Library>> Libraries = new();
    private static readonly Lock Gate = new();

    private readonly Pkcs11Settings _settings;

    /// <summary>
    /// Pkcs11Interop finds dlopen in "libdl", but glibc 2.34 and later ship only libdl.so.2 (without the development
    /// package's libdl.so link), so the name is mapped here for that one assembly.
    /// </summary>
    static Pkcs11KeyEncryptionKey() =>
        NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, (name, assembly, path) =>
            name == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out var handle)
                ? handle
                : IntPtr.Zero);

    public Pkcs11KeyEncryptionKey(Pkcs11Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        Id = $"pkcs11:{settings.TokenLabel}/{settings.KeyLabel}";
        if (settings.CreateKeyIfMissing)
        {
            CreateKey();
        }
    }

    public string Id { get; }

    /// <summary>Generates the KEK inside the token unless it is there already; true when it was made now.</summary>
    public bool CreateKey() => WithSession(session =>
    {
        if (FindKey(session) is not null)
        {
            return false;
        }

        var attributes = Factories.ObjectAttributeFactory;
        session.GenerateKey(Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN),
        [
            attributes.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            attributes.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            attributes.Create(CKA.CKA_VALUE_LEN, 32UL),
            attributes.Create(CKA.CKA_LABEL, _settings.KeyLabel),
            attributes.Create(CKA.CKA_TOKEN, true),
            attributes.Create(CKA.CKA_PRIVATE, true),
            attributes.Create(CKA.CKA_SENSITIVE, true),
            attributes.Create(CKA.CKA_EXTRACTABLE, false),
            attributes.Create(CKA.CKA_WRAP, true),
            attributes.Create(CKA.CKA_UNWRAP, true),
            attributes.Create(CKA.CKA_ENCRYPT, false),
            attributes.Create(CKA.CKA_DECRYPT, false),
        ]);
        return true;
    });

    public byte[] Wrap(ReadOnlySpan<byte> key)
    {
        var value = key.ToArray();
        return WithSession(session =>
        {
            var kek = RequireKey(session);
            var attributes = Factories.ObjectAttributeFactory;
            var transient = session.CreateObject(
            [
                attributes.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
                attributes.Create(CKA.CKA_KEY_TYPE, CKK.CKK_GENERIC_SECRET),
                attributes.Create(CKA.CKA_TOKEN, false),
                attributes.Create(CKA.CKA_SENSITIVE, false),
                attributes.Create(CKA.CKA_EXTRACTABLE, true),
                attributes.Create(CKA.CKA_VALUE, value),
            ]);
            try
            {
                return session.WrapKey(Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD), kek, transient);
            }
            finally
            {
                session.DestroyObject(transient);
            }
        });
    }

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped)
    {
        var value = wrapped.ToArray();
        return WithSession(session =>
        {
            var kek = RequireKey(session);
            var attributes = Factories.ObjectAttributeFactory;
            var transient = session.UnwrapKey(Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD), kek, value,
            [
                attributes.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
                attributes.Create(CKA.CKA_KEY_TYPE, CKK.CKK_GENERIC_SECRET),
                attributes.Create(CKA.CKA_TOKEN, false),
                attributes.Create(CKA.CKA_SENSITIVE, false),
                attributes.Create(CKA.CKA_EXTRACTABLE, true),
            ]);
            try
            {
                return session.GetAttributeValue(transient, [CKA.CKA_VALUE])[0].GetValueAsByteArray();
            }
            finally
            {
                session.DestroyObject(transient);
            }
        });
    }

    private IObjectHandle? FindKey(ISession session) =>
        session.FindAllObjects(
        [
            Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, _settings.KeyLabel),
        ]).FirstOrDefault();

    private IObjectHandle RequireKey(ISession session) =>
        FindKey(session) ?? throw new InvalidOperationException(
            $"The token '{_settings.TokenLabel}' has no key labelled '{_settings.KeyLabel}' (Encryption:Pkcs11:KeyLabel). Create it with `woningpas create-kek`.");

    private T WithSession<T>(Func<ISession, T> operation)
    {
        var library = Libraries.GetOrAdd(_settings.LibraryPath!, path => new Lazy<IPkcs11Library>(
            () => Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, path, AppType.MultiThreaded))).Value;
        lock (Gate)
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent)
                .FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == _settings.TokenLabel)
                ?? throw new InvalidOperationException(
                    $"No PKCS#11 token labelled '{_settings.TokenLabel}' (Encryption:Pkcs11:TokenLabel) in {_settings.LibraryPath}.");
            using var session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, _settings.Pin);
            }
            catch (Pkcs11Exception exception) when (exception.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Another session of this process is signed in; the login is shared.
            }
            catch (Pkcs11Exception exception) when (exception.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LOCKED)
            {
                throw new InvalidOperationException(
                    $"The token '{_settings.TokenLabel}' refused the PIN (Encryption:Pkcs11:Pin): {exception.RV}.", exception);
            }

            return operation(session);
        }
    }
}
