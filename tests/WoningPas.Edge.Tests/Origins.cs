using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WoningPas.Web;

namespace WoningPas.Edge.Tests;

/// <summary>One request as an origin received it.</summary>
public sealed record OriginRequest(string Method, string PathAndQuery, string? Cookie, string? AcceptEncoding);

/// <summary>What reached an origin: the edge's job is to keep this short.</summary>
public sealed class OriginLog
{
    private readonly ConcurrentQueue<OriginRequest> _requests = new();

    public void Add(HttpRequest request) => _requests.Enqueue(new OriginRequest(request.Method,
        request.Path.Value + request.QueryString.Value, request.Headers.Cookie.Count > 0 ? request.Headers.Cookie.ToString() : null,
        request.Headers.AcceptEncoding.Count > 0 ? request.Headers.AcceptEncoding.ToString() : null));

    public IReadOnlyList<OriginRequest> For(string pathAndQuery) =>
        [.. _requests.Where(r => string.Equals(r.PathAndQuery, pathAndQuery, StringComparison.Ordinal))];
}

public static class Origins
{
    /// <summary>The real Web host, with every request it receives recorded before its pipeline runs.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartWebAsync(OriginLog log)
    {
        var root = Path.Combine(Repository.Root, "src", "WoningPas.Web");
        var app = WebApp.Build(
            new WebApplicationOptions
            {
                EnvironmentName = "Production",
                ContentRootPath = root,
                WebRootPath = Path.Combine(root, "wwwroot"),
            },
            builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
                builder.Services.AddSingleton<IStartupFilter>(new RecordingFilter(log));
            });
        return (app, await StartAsync(app));
    }

    /// <summary>
    /// A stand-in for the Api (or a Web whose freshness a test controls): answers any path, echoing what it got.
    /// The Api's own answers are <c>private, no-store</c>; <paramref name="cacheControl"/> lets a test play a Web page.
    /// </summary>
    public static async Task<(WebApplication App, Uri Url)> StartStubAsync(OriginLog log, string cacheControl = "private, no-store")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            log.Add(context.Request);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = cacheControl;
            context.Response.Headers.SetCookie = "stub=1; Path=/; HttpOnly";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                marker = "origin-" + Guid.NewGuid().ToString("N"),
                method = context.Request.Method,
                path = context.Request.Path.Value,
                cookie = context.Request.Headers.Cookie.ToString(),
                forwardedFor = context.Request.Headers["X-Forwarded-For"].ToString(),
                forwardedProto = context.Request.Headers["X-Forwarded-Proto"].ToString(),
                contentType = context.Request.ContentType,
                bodyLength = body.Length,
            }), context.RequestAborted);
        });
        return (app, await StartAsync(app));
    }

    private static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First());
    }

    private sealed class RecordingFilter(OriginLog log) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                log.Add(context.Request);
                return following(context);
            });
            next(app);
        };
    }
}
