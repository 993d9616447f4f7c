using System.Globalization;

namespace WoningPas.Simulators.Simulation;

/// <summary>
/// The gateway in front of one registry's endpoints: checks its API key header, applies its rate limit (429 with
/// <c>Retry-After</c>), its outage switch (503), its latency and its error rate, and counts every call.
/// </summary>
public sealed class RegistryGate(string registryName) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var registry = http.RequestServices.GetRequiredService<SimulatedRegistries>()[registryName];
        var (admission, delay, retryAfter) = registry.Admit(http.Request.Headers[registry.ApiKeyHeader].ToString(),
            http.Request.Path.Value ?? "");
        switch (admission)
        {
            case Admission.Unauthorised:
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid API key");
            case Admission.OverCapacity:
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
            case Admission.Outage:
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Registry unavailable");
            default:
                break;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, http.RequestAborted);
        }

        return admission == Admission.InjectedError
            ? Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Injected error")
            : await next(context);
    }
}
