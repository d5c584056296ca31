namespace Giia.Auth.Client;

/// <summary>
/// Every permission of GIIA, as Auth seeds them (<c>resource:action</c>). Services declare what an endpoint or RPC
/// needs with these names only: <c>.RequirePermission(Permissions.CatalogWrite)</c> or
/// <c>[RequirePermission(Permissions.CatalogRead)]</c>.
/// </summary>
public static class Permissions
{
    public const string UsersRead = "users:read";
    public const string UsersWrite = "users:write";
    public const string UsersDelete = "users:delete";
    public const string UsersActivate = "users:activate";
    public const string CatalogRead = "catalog:read";
    public const string CatalogWrite = "catalog:write";
    public const string CatalogDelete = "catalog:delete";
    public const string BuffersRead = "buffers:read";
    public const string BuffersWrite = "buffers:write";
    public const string BuffersDelete = "buffers:delete";
    public const string OrdersRead = "orders:read";
    public const string OrdersWrite = "orders:write";
    public const string OrdersDelete = "orders:delete";
    public const string OrdersApprove = "orders:approve";
    public const string ReportsRead = "reports:read";
    public const string ReportsWrite = "reports:write";
    public const string SettingsRead = "settings:read";
    public const string SettingsWrite = "settings:write";
    public const string RolesRead = "roles:read";
    public const string RolesWrite = "roles:write";
    public const string AuditRead = "audit:read";
    public const string DlqRead = "dlq:read";
    public const string DlqReplay = "dlq:replay";
    public const string DlqDiscard = "dlq:discard";

    /// <summary>All of the above; Auth's seed creates exactly these (a test holds the two together).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        UsersRead, UsersWrite, UsersDelete, UsersActivate, CatalogRead, CatalogWrite, CatalogDelete, BuffersRead, BuffersWrite,
        BuffersDelete, OrdersRead, OrdersWrite, OrdersDelete, OrdersApprove, ReportsRead, ReportsWrite, SettingsRead, SettingsWrite,
        RolesRead, RolesWrite, AuditRead, DlqRead, DlqReplay, DlqDiscard,
    ];
}
