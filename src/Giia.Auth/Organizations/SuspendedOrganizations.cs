using System.Collections.Concurrent;

using Giia.Auth.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Organizations;

/// <summary>
/// Whether an organization is suspended, as part of every permission check. Read from the database at most every
/// <see cref="Freshness"/> per organization and replica, so a suspension made anywhere (there is no operator API yet:
/// operators set <c>organizations.status</c> in the database) is answered within that bound, like a revocation.
/// </summary>
public sealed class SuspendedOrganizations(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(500);

    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<Guid, (bool Suspended, DateTimeOffset Until)> known = new();

    public async ValueTask<bool> IsSuspendedAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (known.TryGetValue(organizationId, out var entry) && now < entry.Until)
        {
            return entry.Suspended;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var suspended = await db.Organizations.AnyAsync(o => o.Id == organizationId && o.Status == OrganizationStatus.Suspended, cancellationToken);
        if (known.Count >= MaxRemembered)
        {
            known.Clear();
        }

        known[organizationId] = (suspended, now + Freshness);
        return suspended;
    }
}
