// The spec's auth.v1 examples: sign in over REST, then ValidateToken, CheckPermission, BatchCheckPermissions and
// GetUser over gRPC, handling each status code the way a service should.
using Giia.Auth.Grpc.V1;
using Giia.Examples;

using Grpc.Core;
using Grpc.Net.Client;

try
{
    var token = await SignIn.AccessTokenAsync();
    using var channel = GrpcChannel.ForAddress(SignIn.Setting("GIIA_AUTH_GRPC", "http://localhost:9091"));
    var auth = new AuthService.AuthServiceClient(channel);
    var caller = new Metadata { { "authorization", $"Bearer {token}" } };

    var validated = await auth.ValidateTokenAsync(new ValidateTokenRequest { Token = token });
    if (!validated.Valid)
    {
        Console.Error.WriteLine($"Token invalid: {validated.Error}");
        return 1;
    }

    Console.WriteLine($"ValidateToken: user {validated.UserId}, organization {validated.OrganizationId}, roles [{string.Join(", ", validated.Roles)}], expires {validated.ExpiresAt.ToDateTime():u}");

    var check = await auth.CheckPermissionAsync(new CheckPermissionRequest
    {
        UserId = validated.UserId,
        OrganizationId = validated.OrganizationId,
        Permission = "catalog:write",
    }, caller, deadline: DateTime.UtcNow.AddSeconds(2));
    Console.WriteLine($"CheckPermission catalog:write: {(check.Allowed ? "allowed" : "denied")} ({check.Reason})");

    var batch = await auth.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest
    {
        UserId = validated.UserId,
        OrganizationId = validated.OrganizationId,
        Permissions = { "catalog:read", "catalog:delete", "users:write", "audit:read" },
    }, caller, deadline: DateTime.UtcNow.AddSeconds(2));
    foreach (var (permission, allowed) in batch.Results.OrderBy(r => r.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"BatchCheckPermissions {permission}: {(allowed ? "allowed" : $"denied ({batch.Reasons[permission]})")}");
    }

    var user = (await auth.GetUserAsync(new GetUserRequest { UserId = validated.UserId, OrganizationId = validated.OrganizationId }, caller)).User;
    Console.WriteLine($"GetUser: {user.Name} <{user.Email}>, {user.Status}, roles [{string.Join(", ", user.Roles)}]");
    return 0;
}
catch (RpcException ex)
{
    Console.Error.WriteLine(GrpcErrors.Describe(ex));
    return 1;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
