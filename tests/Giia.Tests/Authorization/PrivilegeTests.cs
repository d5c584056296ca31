using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Npgsql;

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

        using (var create = await auth.PostAsync("/api/roles", new { name = "Lofty", level = 2, permissions = new List<string> { "catalog:read" } }, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }

        using (var raise = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{supervisorRole}", token,
            new { name = "Supervisor", level = 2, permissions = new List<string> { "users:read" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, raise.StatusCode);
        }

        // Within reach: a Viewer (its permissions are all the supervisor's) and users of level 3 or below.
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(token, analyst, await rbac.RoleIdAsync(admin, "Viewer")));
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.SetStatusAsync(token, manager, active: false));
        Assert.Equal("active", await rbac.StatusOfAsync(admin, manager));
        Assert.Equal(HttpStatusCode.OK, await rbac.SetStatusAsync(token, analyst, active: false));
        // Bringing the Analyst back would restore reports:read, which the supervisor does not hold.
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.SetStatusAsync(token, analyst, active: true));
        Assert.Equal("inactive", await rbac.StatusOfAsync(admin, analyst));
    }

    [Fact]
    public async Task The_last_active_Admin_cannot_be_deactivated_or_demoted_even_by_two_admins_at_once()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (owner, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var adminRole = await rbac.RoleIdAsync(admin, "Admin");

        // Level 1 is the Admin role's alone: no custom role can be made an Admin in all but name.
        foreach (var level in new[] { 0, 1 })
        {
            using var lofty = await auth.PostAsync("/api/roles", new { name = $"Keeper {level}", level, permissions = new List<string> { "users:read" } }, admin);
            Assert.Equal(HttpStatusCode.BadRequest, lofty.StatusCode);
            Assert.Contains("level", await lofty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var keeperRole = await rbac.CreateRoleAsync(admin, "Keeper", 2, "users:read", "users:activate", "roles:read", "roles:write");
        using (var raise = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{keeperRole}", admin,
            new { name = "Keeper", level = 1, permissions = new List<string> { "users:read" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, raise.StatusCode);
        }

        var (keeper, keeperTokens) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, keeper, keeperRole));
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.SetStatusAsync(keeperTokens.AccessToken, owner.UserId, active: false));
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.RevokeAsync(keeperTokens.AccessToken, owner.UserId, adminRole));
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
        // The loser is refused: 409 when its check sees the winner's change, 403 (or 401) when it was already
        // deactivated by the winner before its own request was authorized; never a 500.
        Assert.All(results, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"got {s}"));
    }

    [Fact]
    public async Task A_role_held_by_someone_above_the_editor_or_by_the_editor_is_not_edited_nor_deleted()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (_, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var stewardRole = await rbac.CreateRoleAsync(admin, "Steward", 2, "users:read", "roles:read", "roles:write", "catalog:read", "catalog:write");
        var (steward, stewardTokens) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, steward, stewardRole));
        var token = stewardTokens.AccessToken;

        // A second Admin (level 1) holds "Shared": the steward would strip rights from someone above them.
        var shared = await rbac.CreateRoleAsync(admin, "Shared", 3, "catalog:read", "catalog:write");
        var (secondAdmin, _) = await auth.InviteAndSignInAsync(admin, "Admin");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, secondAdmin, shared));
        using (var strip = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{shared}", token, new { name = "Shared", level = 3, permissions = new List<string> { "catalog:read" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, strip.StatusCode);
            Assert.Contains("above your own level", await strip.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var delete = await auth.SendAsync(HttpMethod.Delete, $"/api/roles/{shared}", token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }

        Assert.Equal(["catalog:read", "catalog:write"], await PermissionsOfRoleAsync(auth, admin, shared));

        // Their own role: not even within its own bounds.
        using (var own = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{stewardRole}", token,
            new { name = "Steward", level = 2, permissions = new List<string> { "users:read", "roles:read", "roles:write", "catalog:read" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        }

        // A role whose holders are all within reach is the steward's to change.
        var (viewer, _) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.RevokeAsync(admin, secondAdmin, shared));
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, viewer, shared));
        using (var edit = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{shared}", token, new { name = "Shared", level = 3, permissions = new List<string> { "catalog:read" } }))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        Assert.Equal(["catalog:read"], await PermissionsOfRoleAsync(auth, admin, shared));
    }

    [Fact]
    public async Task Twenty_grants_racing_the_granters_demotion_never_commit_after_it()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (_, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var granterRole = await rbac.CreateRoleAsync(admin, "Granter", 3, "users:read", "roles:read", "roles:write", "catalog:read");
        var readerRole = await rbac.CreateRoleAsync(admin, "Reader", 4, "catalog:read");
        var (granter, granterTokens) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, granter, granterRole));
        var targets = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            targets.Add((await auth.InviteAndSignInAsync(admin, "Viewer")).User);
        }

        using var start = new SemaphoreSlim(0);
        var grants = targets.Select(async target =>
        {
            await start.WaitAsync();
            return await rbac.AssignAsync(granterTokens.AccessToken, target, readerRole);
        }).ToList();
        var demotion = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await rbac.RevokeAsync(admin, granter, granterRole);
        });
        start.Release(targets.Count + 1);
        var results = await Task.WhenAll(grants);

        Assert.Equal(HttpStatusCode.NoContent, await demotion);
        Assert.All(results, r => Assert.True(r is HttpStatusCode.NoContent or HttpStatusCode.Forbidden, $"got {r}"));
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FILTER (WHERE ur.assigned_at > d.created_at), count(*)
            FROM user_roles ur, (SELECT created_at FROM audit_logs WHERE action = 'role.revoke' AND resource_id = @role) d
            WHERE ur.assigned_by = @granter AND ur.role_id = @reader
            """, connection);
        command.Parameters.AddWithValue("role", granterRole);
        command.Parameters.AddWithValue("granter", granter);
        command.Parameters.AddWithValue("reader", readerRole);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var late = reader.GetInt64(0);
        var granted = reader.GetInt64(1);
        Assert.Equal(0, late);
        // Every 204 is an assignment that exists; every 403 left nothing behind.
        Assert.Equal(results.Count(r => r == HttpStatusCode.NoContent), granted);
    }

    [Fact]
    public async Task Reactivating_a_user_needs_every_right_their_roles_give_back()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (_, ownerTokens) = await auth.RegisterVerifiedAsync();
        var admin = ownerTokens.AccessToken;
        var opsRole = await rbac.CreateRoleAsync(admin, "Ops", 2, "users:read", "users:activate");
        var (ops, opsTokens) = await auth.InviteAndSignInAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.RevokeAsync(admin, ops, await rbac.RoleIdAsync(admin, "Viewer")));
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(admin, ops, opsRole));
        var (manager, _) = await auth.InviteAndSignInAsync(admin, "Manager");
        Assert.Equal(HttpStatusCode.OK, await rbac.SetStatusAsync(admin, manager, active: false));

        // Ops may deactivate and activate, but bringing back a Manager would hand out users:write, catalog:write...
        Assert.Equal(HttpStatusCode.Forbidden, await rbac.SetStatusAsync(opsTokens.AccessToken, manager, active: true));
        Assert.Equal("inactive", await rbac.StatusOfAsync(admin, manager));
        Assert.Equal(HttpStatusCode.OK, await rbac.SetStatusAsync(admin, manager, active: true));
    }

    [Fact]
    public async Task Twenty_identical_deactivations_change_the_user_once()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (owner, ownerTokens) = await auth.RegisterVerifiedAsync();
        var (target, _) = await auth.InviteAndSignInAsync(ownerTokens.AccessToken, "Analyst");

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync();
            return await rbac.SetStatusAsync(ownerTokens.AccessToken, target, active: false);
        }).ToList();
        start.Release(20);
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r));
        Assert.Equal("inactive", await rbac.StatusOfAsync(ownerTokens.AccessToken, target));
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM audit_logs WHERE action = 'user.deactivate' AND organization_id = @org AND resource_id = @user", connection);
        command.Parameters.AddWithValue("org", owner.OrganizationId);
        command.Parameters.AddWithValue("user", target);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Another_organizations_admin_can_neither_change_nor_use_a_custom_role_nor_touch_its_users()
    {
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (_, tokensA) = await auth.RegisterVerifiedAsync();
        var (_, tokensB) = await auth.RegisterVerifiedAsync();
        var roleA = await rbac.CreateRoleAsync(tokensA.AccessToken, "Planner", 3, "catalog:read");
        var (userA, _) = await auth.InviteAndSignInAsync(tokensA.AccessToken, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(tokensA.AccessToken, userA, roleA));
        var (userB, _) = await auth.InviteAndSignInAsync(tokensB.AccessToken, "Viewer");
        var b = tokensB.AccessToken;

        using (var edit = await auth.SendAsync(HttpMethod.Put, $"/api/roles/{roleA}", b, new { name = "Planner", level = 3, permissions = new List<string>() }))
        {
            Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        }

        using (var delete = await auth.SendAsync(HttpMethod.Delete, $"/api/roles/{roleA}", b))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await rbac.AssignAsync(b, userB, roleA));
        Assert.Equal(HttpStatusCode.NotFound, await rbac.AssignAsync(b, userA, await rbac.RoleIdAsync(b, "Viewer")));
        Assert.Equal(HttpStatusCode.NotFound, await rbac.RevokeAsync(b, userA, roleA));
        Assert.Equal(HttpStatusCode.NotFound, await rbac.SetStatusAsync(b, userA, active: false));

        Assert.Equal(["catalog:read"], await PermissionsOfRoleAsync(auth, tokensA.AccessToken, roleA));
        Assert.Contains("Planner", await rbac.RolesOfAsync(tokensA.AccessToken, userA));
        Assert.Equal("active", await rbac.StatusOfAsync(tokensA.AccessToken, userA));
        Assert.DoesNotContain("Planner", await rbac.RolesOfAsync(b, userB));
    }

    private static async Task<IReadOnlyList<string>> PermissionsOfRoleAsync(AuthApi auth, string adminToken, Guid roleId)
    {
        using var response = await auth.GetAsync("/api/roles", adminToken);
        var roles = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. roles.EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == roleId).GetProperty("permissions").EnumerateArray()
            .Select(p => p.GetString()!)];
    }

    private static void Expect<T>(List<string> failures, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            failures.Add($"{what}: expected {expected}, got {actual}");
        }
    }
}
