using System.Buffers;
using System.Security.Cryptography;

namespace WoningPas.Api.Documents;

/// <summary>
/// An upload copied from the request body to a private temporary file while it arrives, a buffer at a time: the
/// checks and the database then read the file, so no upload is ever held whole in memory. The file is deleted when
/// the spool is disposed, whatever the outcome.
/// </summary>
public sealed class UploadSpool : IAsyncDisposable
{
    private const int BufferBytes = 64 * 1024;

    private UploadSpool(FileStream file, long length, byte[] sha256, byte[] head)
    {
        File = file;
        Length = length;
        Sha256 = sha256;
        Head = head;
    }

    public FileStream File { get; }

    public long Length { get; }

    public byte[] Sha256 { get; }

    /// <summary>The first bytes, for the type check.</summary>
    public byte[] Head { get; }

    /// <summary>Copies <paramref name="body"/>; null as soon as it grows past <paramref name="maxBytes"/>.</summary>
    public static async Task<UploadSpool?> ReceiveAsync(Stream body, long maxBytes, string? directory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var path = Path.Combine(directory is { Length: > 0 } ? directory : Path.GetTempPath(),
            "woningpas-upload-" + Guid.NewGuid().ToString("N"));
        // Owner-only and deleted on close: an upload waiting for its checks is readable by nobody else.
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, fileOptions);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[DocumentType.HeadLength];
            var headLength = 0;
            long length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    await file.DisposeAsync();
                    return null;
                }

                if (headLength < head.Length)
                {
                    var take = Math.Min(head.Length - headLength, read);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            return new UploadSpool(file, length, hash.GetHashAndReset(), head[..headLength]);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The content from the start, for the next reader (scanner, inspection, database).</summary>
    public Stream Rewind()
    {
        File.Position = 0;
        return File;
    }

    public ValueTask DisposeAsync() => File.DisposeAsync();
}
