using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace WoningPas.Api.Documents;

/// <summary>Where clamd listens: a Unix socket or a TCP address.</summary>
public sealed record ClamdEndpoint(string? SocketPath, string? Host, int Port)
{
    public static bool TryParse(string? value, out ClamdEndpoint endpoint)
    {
        endpoint = new ClamdEndpoint(null, null, 0);
        if (value is null)
        {
            return false;
        }

        if (value.StartsWith("unix:", StringComparison.Ordinal) && value.Length > "unix:".Length)
        {
            endpoint = new ClamdEndpoint(value["unix:".Length..], null, 0);
            return true;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "tcp" && uri.Port > 0
            && uri.AbsolutePath == "/")
        {
            endpoint = new ClamdEndpoint(null, uri.Host, uri.Port);
            return true;
        }

        return false;
    }
}

public enum ScanVerdict
{
    Clean,
    Infected,

    /// <summary>No verdict: unreachable, too slow, or an error answer. The upload is refused (fail closed).</summary>
    Unscanned,
}

/// <summary>A verdict, with the signature name when infected or why there is no verdict when unscanned.</summary>
public sealed record ScanResult(ScanVerdict Verdict, string? Detail);

/// <summary>
/// Sends content to clamd with INSTREAM: <c>zINSTREAM\0</c>, then chunks each prefixed with their length as 4 bytes
/// big-endian, then a zero length; clamd answers <c>stream: OK</c> or <c>stream: NAME FOUND</c>, NUL-terminated.
/// Anything else, and any failure to get an answer in time, is no verdict.
/// </summary>
public sealed class ClamdScanner(IOptions<DocumentOptions> options, ILogger<ClamdScanner> logger)
{
    private const int MaxReplyBytes = 4096;

    public async Task<ScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var settings = options.Value.Clamd;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            using var socket = await ConnectAsync(settings.Endpoint, timeout.Token);
            await using var network = new NetworkStream(socket, ownsSocket: false);
            await network.WriteAsync("zINSTREAM\0"u8.ToArray(), timeout.Token);
            await SendChunksAsync(content, network, settings.ChunkBytes, timeout.Token);
            var reply = await ReadReplyAsync(network, timeout.Token);
            var result = Parse(reply);
            if (result.Verdict == ScanVerdict.Unscanned)
            {
                logger.LogError("clamd answered without a verdict: {Reply}", reply);
            }

            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("clamd gave no verdict within {Seconds} s", settings.TimeoutSeconds);
            return new ScanResult(ScanVerdict.Unscanned, "the virus scanner did not answer in time");
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            logger.LogError(exception, "clamd could not be reached");
            return new ScanResult(ScanVerdict.Unscanned, "the virus scanner could not be reached");
        }
    }

    private static async Task<Socket> ConnectAsync(string endpointText, CancellationToken cancellationToken)
    {
        if (!ClamdEndpoint.TryParse(endpointText, out var endpoint))
        {
            throw new InvalidOperationException("Documents:Clamd:Endpoint is validated at start.");
        }

        var socket = endpoint.SocketPath is { } path
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.SocketPath is { } socketPath)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(endpoint.Host!, endpoint.Port, cancellationToken);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendChunksAsync(Stream content, NetworkStream network, int chunkBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4 + chunkBytes);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(4, chunkBytes), cancellationToken)) > 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                await network.WriteAsync(buffer.AsMemory(0, 4 + read), cancellationToken);
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
            await network.WriteAsync(buffer.AsMemory(0, 4), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReadReplyAsync(NetworkStream network, CancellationToken cancellationToken)
    {
        var reply = new byte[MaxReplyBytes];
        var length = 0;
        while (length < reply.Length)
        {
            var read = await network.ReadAsync(reply.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (reply.AsSpan(0, length).Contains((byte)0))
            {
                break;
            }
        }

        var end = reply.AsSpan(0, length).IndexOf((byte)0);
        return Encoding.ASCII.GetString(reply, 0, end >= 0 ? end : length).Trim();
    }

    internal static ScanResult Parse(string reply)
    {
        const string prefix = "stream: ";
        if (reply == prefix + "OK")
        {
            return new ScanResult(ScanVerdict.Clean, null);
        }

        if (reply.StartsWith(prefix, StringComparison.Ordinal) && reply.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            return new ScanResult(ScanVerdict.Infected, reply[prefix.Length..^" FOUND".Length]);
        }

        return new ScanResult(ScanVerdict.Unscanned, reply.Length == 0
            ? "the virus scanner closed the connection without a verdict"
            : "the virus scanner answered with an error");
    }
}
