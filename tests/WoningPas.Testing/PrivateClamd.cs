using WoningPas.DevHost;

namespace WoningPas.Testing;

/// <summary>
/// A real clamd of its own per test class, in a temporary directory removed on dispose: the local run's
/// <see cref="LocalClamd"/> (one EICAR signature, no official database), under the name the tests know.
/// </summary>
public sealed class PrivateClamd : IAsyncDisposable
{
    public const string EicarSignatureName = LocalClamd.EicarSignatureName;

    private readonly LocalClamd _clamd;

    private PrivateClamd(LocalClamd clamd) => _clamd = clamd;

    public string SocketPath => _clamd.SocketPath;

    /// <summary>The value for Documents:Clamd:Endpoint.</summary>
    public string Endpoint => _clamd.Endpoint;

    public static async Task<PrivateClamd> StartAsync(CancellationToken cancellationToken = default) =>
        new(await LocalClamd.StartAsync(directory: null, cancellationToken));

    /// <summary>Sends one command (without the z prefix and NUL) and returns the answer.</summary>
    public Task<string> CommandAsync(string command, CancellationToken cancellationToken = default) =>
        _clamd.CommandAsync(command, cancellationToken);

    public ValueTask DisposeAsync() => _clamd.DisposeAsync();
}

/// <summary>The EICAR anti-virus test file (<see cref="LocalClamd.EicarTestFile"/>).</summary>
public static class EicarTestFile
{
    public static byte[] Bytes => LocalClamd.EicarTestFile;
}
