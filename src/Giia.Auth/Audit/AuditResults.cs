namespace Giia.Auth.Audit;

public static class AuditResults
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Allowed = "allowed";
    public const string Denied = "denied";
}
