using Giia.Auth.Accounts;
using Giia.Auth.Data;
using Giia.Auth.Rbac;
using Giia.Data;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Organizations;

/// <summary>
/// The demo organization and one active, verified user per system role (admin@, manager@, analyst@, viewer@
/// demo.giia.local), with the configured password. Idempotent: what exists stays, except that the demo users' password
/// follows the configured one.
/// </summary>
public sealed class DemoOrganizationSeeder(IOptions<DemoDataOptions> options, PasswordHasher hasher, TimeProvider time) : IDbSeeder<AuthDbContext>
{
    public static readonly string[] Roles = [RbacSeed.Admin, RbacSeed.Manager, RbacSeed.Analyst, RbacSeed.Viewer];

    public async Task SeedAsync(AuthDbContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var organizationId = DemoDataOptions.OrganizationId;
        var now = time.GetUtcNow();
        if (!await context.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken))
        {
            context.Organizations.Add(new Organization { Id = organizationId, Name = "GIIA Demo", Slug = "giia-demo", CreatedAt = now, UpdatedAt = now });
        }

        var roles = await context.Roles.Where(r => r.OrganizationId == null).ToDictionaryAsync(r => r.Name, r => r.Id, cancellationToken);
        foreach (var role in Roles)
        {
            var email = $"{role.ToLowerInvariant()}@demo.giia.local";
            if (await context.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken) is { } existing)
            {
                // The AppHost may generate a new demo password for a run: the demo users take it, so it always works.
                if (existing.PasswordHash is null || !(await hasher.VerifyAsync(settings.Password!, existing.PasswordHash, cancellationToken)).Matches)
                {
                    existing.PasswordHash = await hasher.HashAsync(settings.Password!, cancellationToken);
                    existing.UpdatedAt = now;
                }

                continue;
            }

            var user = new User
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = organizationId,
                Email = email,
                Name = $"Demo {role}",
                PasswordHash = await hasher.HashAsync(settings.Password!, cancellationToken),
                Status = UserStatus.Active,
                EmailVerifiedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            };
            context.Users.Add(user);
            context.UserRoles.Add(new UserRole { UserId = user.Id, RoleId = roles[role], OrganizationId = organizationId, AssignedAt = now });
        }

        await context.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>With the demo enabled, its users need a password: start-up stops with a clear message without one.</summary>
public sealed class DemoPasswordRequired : IValidateOptions<DemoDataOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoDataOptions options) =>
        options is { Enabled: true, Password: null or { Length: < 12 } }
            ? ValidateOptionsResult.Fail($"{DemoDataOptions.SectionName}:Password must be set (12 characters or more) when {DemoDataOptions.SectionName}:Enabled is true.")
            : ValidateOptionsResult.Success;
}
