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
                if (MatchingTag(request.Headers.IfNoneMatch, etag) is { } matched)
                {
                    // A 304 has no body to compress: it names the representation the client holds, coded or plain.
                    response.Headers.ETag = Compression.IsCodedFormOf(matched, etag) ? matched : etag;
                    response.StatusCode = StatusCodes.Status304NotModified;
                    response.Headers.Remove(HeaderNames.ContentType);
                    response.ContentLength = null;
                    return;
                }

                break;
            case StatusCodes.Status301MovedPermanently:
                response.Headers.CacheControl = CachePolicies.Redirect;
                response.Headers.Vary = CachePolicies.Vary;
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
    /// comparison, so <c>W/"x"</c> (what a compressing proxy may forward) matches <c>"x"</c>, and so does the tag of
    /// a compressed representation, <c>"x-br"</c> or <c>"x-gzip"</c>: it is the same page.
    /// </summary>
    internal static bool IfNoneMatch(StringValues header, string etag) => MatchingTag(header, etag) is not null;

    /// <summary>The listed tag that matches the current one, or null.</summary>
    internal static string? MatchingTag(StringValues header, string etag)
    {
        if (StringValues.IsNullOrEmpty(header) || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return null;
        }

        var current = new EntityTagHeaderValue(etag);
        return tags.FirstOrDefault(tag => tag.Tag.Equals("*", StringComparison.Ordinal)
            || tag.Compare(current, useStrongComparison: false)
            || Compression.IsCodedFormOf(tag.Tag.Value ?? "", etag))?.Tag.Value;
    }
}
