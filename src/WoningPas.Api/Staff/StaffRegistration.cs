using Microsoft.AspNetCore.Authorization;
using WoningPas.Api.Reports;
using WoningPas.Data;

namespace WoningPas.Api.Staff;

/// <summary>
/// The back office: Razor Pages under /staff (area "Staff") for agency editors, and the staff JSON API under
/// /api/staff. Only on this on-premise host; the edge sends /staff here and the CDN never caches it (every answer of
/// this host is private, no-store).
/// </summary>
public static class StaffRegistration
{
    public const string EditorPolicy = "staff-editor";

    public static WebApplicationBuilder AddStaff(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeAreaFolder("Staff", "/", EditorPolicy);
            // The attachment form streams its own body under the document size limit.
            options.Conventions.AddAreaPageApplicationModelConvention("Staff", "/Attachment",
                page => page.EndpointMetadata.Add(new Infrastructure.OwnBodyLimit()));
        });
        services.AddAntiforgery(options =>
        {
            // Same rules as the session cookie: host-only over HTTPS outside Development, never sent cross-site.
            options.Cookie.Name = isDevelopment ? "woningpas-staff-af" : "__Host-woningpas-staff-af";
            options.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.Path = "/";
            options.FormFieldName = "__staffToken";
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireClaim(Account.WoningPasClaims.Role, Roles.Editor).Build());
        services.AddScoped<DwellingSearch>();
        services.AddScoped<SectionEditor>();
        services.AddScoped<ReportQueue>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder routes)
    {
        routes.MapRazorPages();
        routes.MapStaffSections();
        routes.MapStaffAttachments();
        return routes;
    }
}
