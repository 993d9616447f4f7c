using Scalar.AspNetCore;

namespace WoningPas.Api.ApiDocumentation;

/// <summary>
/// The OpenAPI description of the Api and a reader for it, in Development only: in production the contract is
/// published with the release, and an on-premise host has no reason to describe itself to whoever asks.
/// Served under /api so that the edge routes it to this host like any other Api path.
/// </summary>
public static class ApiDocumentationEndpoints
{
    public const string DocumentPath = "/api/openapi/{documentName}.json";

    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "WoningPas Api";
                document.Info.Description =
                    "Personal data of the residence passport. Every answer is private, no-store; every read is access-logged.";
                return Task.CompletedTask;
            }));
        }

        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi(DocumentPath).AllowAnonymous();
            app.MapScalarApiReference("/api/docs", options => options.WithOpenApiRoutePattern(DocumentPath))
                .AllowAnonymous();
        }

        return app;
    }
}
