using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace WoningPas.Web.Caching;

/// <summary>
/// Buffers a page (pages are small), gives a 200 a strong ETag computed from its body, and answers a matching
/// <c>If-None-Match</c> with 304 and no body. Sets the public cache policy; errors are never cached.
/// </summary>
internal sealed class PublicPageCachingMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await next(context);
            return;
        }

        var response = context.Response;
        var originalBody = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = originalBody;
        }

        var body = buffer.GetBuffer().AsMemory(0, checked((int)buffer.Length));
        switch (response.StatusCode)
        {
            case StatusCodes.Status200OK:
                var etag = StrongETag(body.Span);
                response.Headers.ETag = etag;
                response.Headers.CacheControl = CachePolicies.Page;
                response.Headers.Vary = CachePolicies.Vary;
                if (IfNoneMatch(request.Headers.IfNoneMatch, etag))
                {
                    response.StatusCode = StatusCodes.Status304NotModified;
                    response.Headers.Remove(HeaderNames.ContentType);
                    response.ContentLength = null;
                    return;
                }

                break;
            case StatusCodes.Status404NotFound:
                response.Headers.CacheControl = CachePolicies.NotFound;
                response.Headers.Vary = CachePolicies.Vary;
                break;
            default:
                response.Headers.CacheControl = CachePolicies.NoStore;
                break;
        }

        if (body.Length > 0)
        {
            response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(request.Method))
            {
                await response.Body.WriteAsync(body, context.RequestAborted);
            }
        }
    }

    /// <summary>A strong validator: the quoted base64url SHA-256 of the exact bytes sent.</summary>
    internal static string StrongETag(ReadOnlySpan<byte> body) =>
        "\"" + Base64Url.EncodeToString(SHA256.HashData(body)) + "\"";

    /// <summary>
    /// RFC 9110 §13.1.2: <c>*</c> matches any current representation; otherwise a listed tag matches by the weak
    /// comparison, so <c>W/"x"</c> (what a compressing proxy may forward) matches <c>"x"</c>.
    /// </summary>
    internal static bool IfNoneMatch(StringValues header, string etag)
    {
        if (StringValues.IsNullOrEmpty(header) || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(etag);
        return tags.Any(tag => tag.Tag.Equals("*", StringComparison.Ordinal) || tag.Compare(current, useStrongComparison: false));
    }
}
