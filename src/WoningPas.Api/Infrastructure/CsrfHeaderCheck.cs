using Microsoft.AspNetCore.Http.HttpResults;
using WoningPas.Api.Monitoring;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// A cookie-authenticated state-changing call must carry a custom header. A cross-site form or image cannot set one,
/// and a cross-site fetch that sets one needs a CORS preflight the API never grants. A call with an Authorization
/// header is authenticated by that header alone (the cookie is then ignored), which a browser never adds by itself,
/// so it needs no such proof.
/// </summary>
public static class CsrfHeaderCheck
{
    public const string HeaderName = "X-WoningPas-Csrf";

    public static IApplicationBuilder UseCsrfHeaderCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var guarded = request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/account");
            var bearer = request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
            if (guarded && !bearer && !IsSafe(request.Method) && !request.Headers.ContainsKey(HeaderName))
            {
                SecurityEvents.For(context).LogCsrfRejected(request.Method, request.Path);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Missing anti-forgery header",
                    detail: $"State-changing requests must send the {HeaderName} header.",
                    type: ProblemTypes.CsrfHeaderMissing).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}
