using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;

namespace WoningPas.Edge.Tests;

/// <summary>One edge for the cache, firewall and country tests: starting nginx with the Core Rule Set takes a while.</summary>
[CollectionDefinition(Name)]
public sealed class EdgeCollection : ICollectionFixture<EdgeFixture>
{
    public const string Name = "edge";
}

/// <summary>The edge in front of the real Web and a recording stand-in for the Api.</summary>
public sealed class EdgeFixture : IAsyncLifetime
{
    private WebApplication? _web;
    private WebApplication? _api;

    public OriginLog WebLog { get; } = new();

    public OriginLog ApiLog { get; } = new();

    public EdgeProcess Edge { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        (_web, var webUrl) = await Origins.StartWebAsync(WebLog);
        (_api, var apiUrl) = await Origins.StartStubAsync(ApiLog);
        Edge = await EdgeProcess.StartAsync(webUrl, apiUrl);
    }

    public async ValueTask DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }

        foreach (var app in new[] { _web, _api })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>A client to the edge; <paramref name="from"/> picks the loopback address the request comes from.</summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The HttpClient owns the handler.")]
    public HttpClient Client(IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        // A name, as browsers send: a numeric Host is itself a (minor) anomaly to the Core Rule Set.
        var client = new HttpClient(handler) { BaseAddress = Edge.Url };
        client.DefaultRequestHeaders.Host = $"localhost:{Edge.Url.Port}";
        return client;
    }
}

internal static class Http
{
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, string path,
        Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(path, UriKind.Relative));
        configure?.Invoke(request);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values)
        || response.Content.Headers.NonValidated.TryGetValues(name, out values)
            ? values.ToString()
            : null;

    public static Task<string> TextAsync(this HttpResponseMessage response) =>
        response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
