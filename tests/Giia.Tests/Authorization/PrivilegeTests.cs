using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Authorization;

/// <summary>
/// The privilege rules: nobody climbs above their level or grants what they do not hold, nobody changes their own
/// roles, nobody acts on a higher level, and the last active Admin stays. Each refusal changes nothing.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class PrivilegeTests(GiiaAppFixture fixture)
{
    private static readonly string[] SeededRoles = ["Admin", "Manager", "Analyst", "Viewer"];

    [Fact]
    public async Task Each_seeded_role_does_to_each_other_role_exactly_what_the_readme_table_says()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (owner, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var actors = new Dictionary<string, (Guid Id, string Token)>();
        foreach (var role in SeededRoles)
        {
            var (id, tokens) = await auth.InviteAndSignInAsync(admin, role);
            actors[role] = (id, tokens.AccessToken);
        }

        var roleIds = new Dictionary<string, Guid>();
        foreach (var role in SeededRoles)
        {
            roleIds[role] = await rbac.RoleIdAsync(admin, role);
        }

        var failures = new List<string>();
        foreach (var actor in SeededRoles)
        {
            var token = actors[actor].Token;
            foreach (var target in SeededRoles)
            {
                // Invite with the target role.
                using (var invite = await auth.PostAsync("/api/users", new { email = AuthApi.NewEmail("invitee"), name = "Invitee", role = target }, token))
                {
                    var allowed = actor == "Admin" || (actor == "Manager" && target != "Admin");
                    Expect(failures, $"{actor} invites a {target}", allowed ? HttpStatusCode.Created : HttpStatusCode.Forbidden, invite.StatusCode);
                }

                // Deactivate, then activate, a user who holds the target role (not the actor themselves).
                var (victim, _) = await auth.InviteAndSignInAsync(admin, target);
                var mayChangeStatus = actor == "Admin";
                Expect(failures, $"{actor} deactivates a {target}", mayChangeStatus ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
                    await rbac.SetStatusAsync(token, victim, active: false));
                Expect(failures, $"{actor}'s refused deactivation changed nothing", mayChangeStatus ? "inactive" : "active",
                    await rbac.StatusOfAsync(admin, victim));
                Expect(failures, $"{actor} activates a {target}", mayChangeStatus ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
                    await rbac.SetStatusAsync(token, victim, active: true));

                // Give the target role to a Viewer, and take it back.
                var (member, _) = await auth.InviteAndSignInAsync(admin, "Viewer");
                var mayGrant = actor == "Admin";
                Expect(failures, $"{actor} gives {target}", mayGrant ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden,
                    await rbac.AssignAsync(token, member, roleIds[target]));
                Expect(failures, $"{actor}'s grant of {target} changed the roles only when allowed", mayGrant || target == "Viewer",
                    (await rbac.RolesOfAsync(admin, member)).Contains(target));
                if (target != "Viewer")
                {
                    Expect(failures, $"{actor} removes {target}", mayGrant ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden,
                        await rbac.RevokeAsync(token, member, roleIds[mayGrant ? target : "Viewer"]));
                }
            }

            // Nobody changes their own roles, not even an Admin.
            Expect(failures, $"{actor} gives themselves Admin", HttpStatusCode.Forbidden, await rbac.AssignAsync(token, actors[actor].Id, roleIds["Admin"]));
            Expect(failures, $"{actor} removes their own {actor}", HttpStatusCode.Forbidden,
                await rbac.RevokeAsync(token, actors[actor].Id, roleIds[actor]));
            using (var create = await auth.PostAsync("/api/roles", new { name = $"made by {actor}", level = 4, permissions = new List<string> { "catalog:read" } }, token))
            {
                Expect(failures, $"{actor} creates a custom role", actor == "Admin" ? HttpStatusCode.Created : HttpStatusCode.Forbidden, create.StatusCode);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(["Admin"], await rbac.RolesOfAsync(admin, owner.UserId));
    }

    [Fact]
    public async Task A_custom_role_with_roles_write_cannot_hand_out_a_higher_role_or_permissions_it_lacks_nor_touch_a_higher_user()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (_, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var supervisorRole = await rbac.CreateRoleAsync(admin, "Supervisor", 3,
            "users:read", "users:write", "users:activate", "roles:read", "roles:write", "catalog:read", "buffers:read", "orders:read");
        var (supervisor, supervisorTokens) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, supervisor, supervisorRole));
        var token = supervisorTokens.AccessToken;
        var (manager, _) = await auth.InviteAndSignInAsync(admin, "Manager");
        var (analyst, _) = await auth.InviteAndSignInAsync(admin, "Analyst");
        var (viewer, _) = await auth.InviteAndSignInAsync(admin, "Viewer");

        // The attack of the report: invite an Admin, or give Admin to an accomplice.
        using (var invite = await auth.PostAsync("/api/users", new { email = AuthApi.NewEmail("accomplice"), name = "Accomplice", role = "Admin" }, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
            Assert.Contains("level", await invite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await rbac.AssignAsync(token, viewer, await rbac.RoleIdAsync(admin, "Admin")));
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.AssignAsync(token, viewer, await rbac.RoleIdAsync(admin, "Manager")));
        Assert.Equal(["Viewer"], await rbac.RolesOfAsync(admin, viewer));

        // A role of its level but holding a permission the supervisor lacks (Analyst has reports:read).
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.AssignAsync(token, viewer, await rbac.RoleIdAsync(admin, "Analyst")));
        using (var create = await auth.PostAsync("/api/roles", new { name = "Sneaky", level = 3, permissions = new List<string> { "audit:read" } }, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }

        using (var create = await auth.PostAsync("/api/roles", new { name = "Lofty", level = 1, permissions = new List<string> { "catalog:read" } }, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }

        using (var raise = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{supervisorRole}", token,
            new { name = "Supervisor", level = 1, permissions = new List<string> { "users:read" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, raise.StatusCode);
        }

        // Within reach: a Viewer (its permissions are all the supervisor's) and users of level 3 or below.
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(token, analyst, await rbac.RoleIdAsync(admin, "Viewer")));
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.SetStatusAsync(token, manager, active: false));
        Assert.Equal("active", await rbac.StatusOfAsync(admin, manager));
        Assert.Equal(HttpStatusCode.OK, await rbac.SetStatusAsync(token, analyst, active: false));
        Assert.Equal(HttpStatusCode.OK, await rbac.SetStatusAsync(token, analyst, active: true));
    }

    [Fact]
    public async Task The_last_active_Admin_cannot_be_deactivated_or_demoted_even_by_two_admins_at_once()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (owner, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var adminRole = await rbac.RoleIdAsync(admin, "Admin");
        var keeperRole = await rbac.CreateRoleAsync(admin, "Keeper", 1, "users:read", "users:activate", "roles:read", "roles:write");
        var (keeper, keeperTokens) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, keeper, keeperRole));

        using (var deactivate = await auth.SendAsync(HttpMethod.Post, $"/api/users/{owner.UserId}/deactivate", keeperTokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Conflict, deactivate.StatusCode);
            var problem = await deactivate.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Last active Admin", problem.GetProperty("title").GetString());
        }

        Assert.Equal(HttpStatusCode.Conflict, await rbac.RevokeAsync(keeperTokens.AccessToken, owner.UserId, adminRole));
        Assert.Equal("active", await rbac.StatusOfAsync(admin, owner.UserId));
        Assert.Contains("Admin", await rbac.RolesOfAsync(admin, owner.UserId));

        // Two Admins deactivate each other at the same moment: one wins, the other is refused, one Admin stays.
        var (second, secondTokens) = await auth.InviteAndSignInAsync(admin, "Admin");
        var results = await Task.WhenAll(
            rbac.SetStatusAsync(admin, second, active: false),
            rbac.SetStatusAsync(secondTokens.AccessToken, owner.UserId, active: false));
        Assert.Single(results, s => s == HttpStatusCode.OK);
        var statuses = new[] { await rbac.StatusOfAsync(keeperTokens.AccessToken, owner.UserId), await rbac.StatusOfAsync(keeperTokens.AccessToken, second) };
        Assert.Single(statuses, s => s == "active");
        Assert.All(results, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.Unauthorized, $"got {s}"));
    }

    private static void Expect<T>(List<string> failures, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            failures.Add($"{what}: expected {expected}, got {actual}");
        }
    }
}
