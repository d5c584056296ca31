using System.Security.Cryptography;

namespace Giia.Auth.Accounts;

/// <summary>Random tokens for inboxes and refresh: 256 bits, URL-safe; hashed before they touch the database.</summary>
public static class SecretTokens
{
    public static string New() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
