namespace Giia.Auth.Audit;

public static class AuditActions
{
    public const string Login = "user.login";
    public const string Logout = "user.logout";
    public const string Register = "user.register";
    public const string Verify = "user.verify";
    public const string RefreshReuse = "token.refresh_reuse";
    public const string PasswordChange = "user.password_change";
    public const string PasswordReset = "user.password_reset";
    public const string UserCreate = "user.create";
    public const string UserUpdate = "user.update";
    public const string UserActivate = "user.activate";
    public const string UserDeactivate = "user.deactivate";
    public const string SessionRevoke = "session.revoke";
    public const string RoleAssign = "role.assign";
    public const string RoleRevoke = "role.revoke";
    public const string RoleCreate = "role.create";
    public const string RoleUpdate = "role.update";
    public const string RoleDelete = "role.delete";
    public const string PermissionCheck = "permission.check";
}
