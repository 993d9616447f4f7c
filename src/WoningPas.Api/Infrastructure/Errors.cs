namespace WoningPas.Api.Infrastructure;

public static class Errors
{
    /// <summary>
    /// Problem details for every error, with a stable type and the correlation id, and no exception detail outside
    /// Development.
    /// </summary>
    public static WebApplicationBuilder AddApiErrors(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["correlationId"] = context.HttpContext.TraceIdentifier;
            var hasOwnType = problem.Type is not null
                && !problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal);
            if (!hasOwnType)
            {
                problem.Type = problem.Status switch
                {
                    StatusCodes.Status401Unauthorized => ProblemTypes.Unauthenticated,
                    StatusCodes.Status403Forbidden => ProblemTypes.Forbidden,
                    StatusCodes.Status404NotFound => ProblemTypes.NotFound,
                    StatusCodes.Status400BadRequest => ProblemTypes.Validation,
                    _ => ProblemTypes.Unexpected,
                };
            }
        });
        return builder;
    }
}
