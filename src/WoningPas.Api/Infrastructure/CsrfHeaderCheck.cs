using Microsoft.AspNetCore.Http.HttpResults;
using WoningPas.Api.Monitoring;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// A cookie-authenticated state-changing call must carry a custom header. A cross-site form or image cannot set one,
/// and a cross-site fetch that sets one needs a CORS preflight the API never grants.
/// </summary>
public static class CsrfHeaderCheck
{
    public const string HeaderName = "X-WoningPas-Csrf";

    public static IApplicationBuilder UseCsrfHeaderCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var guarded = request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/account");
            if (guarded && !IsSafe(request.Method) && !request.Headers.ContainsKey(HeaderName))
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
