namespace WoningPas.Api.Infrastructure;

public static class PrivateResponses
{
    /// <summary>
    /// Every answer of the on-premise API is personal or about a person's session: no shared cache, no browser cache.
    /// Set before the response starts so that error pages and redirects carry it too.
    /// </summary>
    public static IApplicationBuilder UsePrivateResponses(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "private, no-store";
                context.Response.Headers.Pragma = "no-cache";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
