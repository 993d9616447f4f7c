namespace WoningPas.Cli.Backups;

/// <summary>
/// THE ENCRYPTION STEP of a backup, kept in one place so that the data-key provider of encryption at rest plugs in
/// here: <see cref="EncryptAsync"/> turns the plain dump into the stored file with the current data key before it is
/// checksummed and leaves the host; <see cref="DecryptAsync"/> turns a stored file back into a dump for pg_restore,
/// with the key version the manifest names. Until a provider is given (encryption at rest is built in another
/// branch), backups are stored unencrypted, the manifest says so (<c>"encryption": null</c>) and the command warns.
/// </summary>
internal sealed record BackupEncryption(
    string Algorithm,
    int CurrentKeyVersion,
    Func<Stream, Stream, CancellationToken, Task> EncryptAsync,
    Func<Stream, Stream, int, CancellationToken, Task> DecryptAsync);
