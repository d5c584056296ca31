namespace Giia.Auth.Accounts;

public enum OneTimeTokenPurpose
{
    VerifyEmail,
    ResetPassword,
}
