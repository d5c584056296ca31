using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Data;
using Giia.Auth.Rbac;
using Giia.Auth.Tokens;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Audit;

/// <summary><c>GET /api/audit-logs</c>: the caller's organization's audit log, filtered and paged, newest first.</summary>
public static class AuditEndpoints
{
    public sealed record AuditLogView(Guid Id, Guid? UserId, string Action, string Resource, Guid? ResourceId, string Result,
        string? IpAddress, string? UserAgent, string? RequestId, System.Text.Json.JsonDocument? Metadata, DateTimeOffset CreatedAt);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit-logs", ListAsync).WithTags("Audit").WithName("ListAuditLogs").RequirePermission(Permissions.AuditRead)
            .WithSummary("List audit records")
            .WithDescription("One page of the organization's audit records, newest first, filtered by user, action, result and time range. Needs `audit:read`.");
        return endpoints;
    }

    private static async Task<Results<Ok<Page<AuditLogView>>, ValidationProblem>> ListAsync(ClaimsPrincipal principal, AuthDbContext db,
        Guid? userId, [MaxLength(100)] string? action, [MaxLength(50)] string? result, DateTimeOffset? from, DateTimeOffset? to,
        [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct)
    {
        var paging = new PageRequest(page, pageSize);
        var errors = new FieldErrors()
            .OptionalText("action", action, 100)
            .OptionalText("result", result, 50)
            .Timestamp("from", from)
            .Timestamp("to", to);
        foreach (var (field, messages) in paging.Validate())
        {
            errors.Add(field, messages[0]);
        }

        if (from > to)
        {
            errors.Add("from", "from must not be after to.");
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        // Any offset is accepted and compared as the instant it names.
        from = FieldErrors.Utc(from);
        to = FieldErrors.Utc(to);
        var organizationId = Claims.OrganizationOf(principal);
        var query = db.AuditLogs.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        if (userId is { } user)
        {
            query = query.Where(a => a.UserId == user);
        }

        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(a => a.Action == action);
        }

        if (!string.IsNullOrEmpty(result))
        {
            query = query.Where(a => a.Result == result);
        }

        if (from is { } f)
        {
            query = query.Where(a => a.CreatedAt >= f);
        }

        if (to is { } t)
        {
            query = query.Where(a => a.CreatedAt <= t);
        }

        var total = await query.LongCountAsync(ct);
        var items = await query.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id).Skip(paging.Skip).Take(paging.Size)
            .Select(a => new AuditLogView(a.Id, a.UserId, a.Action, a.Resource, a.ResourceId, a.Result, a.IpAddress, a.UserAgent,
                a.RequestId, a.Metadata, a.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new Page<AuditLogView>(items, paging.Number, paging.Size, total));
    }
}
