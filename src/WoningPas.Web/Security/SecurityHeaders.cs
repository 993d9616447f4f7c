using Microsoft.Net.Http.Headers;

namespace WoningPas.Web.Security;

/// <summary>
/// Headers every Web response carries, static files and error pages included. The policy allows no inline script and
/// no inline style: every script and stylesheet is a file from this origin.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.UseMiddleware<SecurityHeadersMiddleware>();

    /// <summary>
    /// The Web serves pages only: anything but GET and HEAD is refused before it reaches a page, so that no page
    /// handler, antiforgery check or form post can ever run here.
    /// </summary>
    public static IApplicationBuilder UseReadOnlyMethods(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var method = context.Request.Method;
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
}

internal sealed class SecurityHeadersMiddleware(RequestDelegate next, ILogger<SecurityHeadersMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Set when the response starts, so that an exception handler clearing the headers cannot drop them.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = SecurityHeaders.ReferrerPolicy;
            headers["Permissions-Policy"] = SecurityHeaders.PermissionsPolicy;
            // A cookie on a public page would be cached by the CDN and handed to every visitor. Nothing here sets one;
            // should a future change do so, it is dropped at the door and reported, never served.
            if (headers.ContainsKey(HeaderNames.SetCookie))
            {
                headers.Remove(HeaderNames.SetCookie);
                logger.LogError("A Set-Cookie header on {RequestPath} was removed: the Web must never set a cookie.",
                    context.Request.Path.Value);
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
