using Microsoft.Net.Http.Headers;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// Headers on every Api answer, errors and redirects included. The Api serves JSON and, in Development, one plain
/// sign-in page: nothing may run, be framed or be loaded from it. HSTS only outside Development, where the Api is
/// reached over HTTPS only.
/// </summary>
public static class ApiSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public static IApplicationBuilder UseApiSecurityHeaders(this IApplicationBuilder app, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var hsts = !environment.IsDevelopment();
        return app.Use((context, next) =>
        {
            // Set when the response starts, so that an exception handler clearing the headers cannot drop them.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // An endpoint that set a stricter policy of its own (a document download: sandbox) keeps it.
                if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                }

                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (hsts)
                {
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
