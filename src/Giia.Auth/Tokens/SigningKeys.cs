using System.Security.Cryptography;

using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Giia.Auth.Tokens;

/// <summary>
/// The ES256 keys: configured keys (first one signs), or, in development only, a key generated once and kept in a
/// file so tokens survive restarts and replicas share it. Outside development a missing key stops start-up.
/// </summary>
public sealed partial class SigningKeys : IDisposable
{
    private readonly List<ECDsa> owned = [];

    public SigningKeys(IOptions<JwtOptions> options, IHostEnvironment environment, ILogger<SigningKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = options.Value.SigningKeys;
        var keys = new List<ECDsaSecurityKey>();
        foreach (var key in configured)
        {
            keys.Add(Load(key.KeyId, key.PrivateKeyPem));
        }

        if (keys.Count == 0)
        {
            if (!environment.IsDevelopment())
            {
                throw new OptionsValidationException(JwtOptions.SectionName, typeof(JwtOptions),
                    ["Giia:Jwt:SigningKeys is required outside development (at least one key: KeyId and PrivateKeyPem)."]);
            }

            keys.Add(DevelopmentKey(options.Value.DevelopmentKeyFile, logger));
        }

        All = keys;
        Current = keys[0];
        Credentials = new SigningCredentials(Current, SecurityAlgorithms.EcdsaSha256);
    }

    public ECDsaSecurityKey Current { get; }

    public IReadOnlyList<ECDsaSecurityKey> All { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>The public halves, as published at <c>/.well-known/jwks.json</c>.</summary>
    public IReadOnlyList<JsonWebKey> PublicJwks => All.Select(key =>
    {
        var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey
        {
            Kty = "EC",
            Crv = "P-256",
            X = Base64UrlEncoder.Encode(parameters.Q.X),
            Y = Base64UrlEncoder.Encode(parameters.Q.Y),
            Kid = key.KeyId,
            Alg = SecurityAlgorithms.EcdsaSha256,
            Use = "sig",
        };
    }).ToList();

    private ECDsaSecurityKey Load(string keyId, string pem)
    {
        var ecdsa = ECDsa.Create();
        owned.Add(ecdsa);
        ecdsa.ImportFromPem(pem);
        if (ecdsa.KeySize != 256)
        {
            throw new OptionsValidationException(JwtOptions.SectionName, typeof(JwtOptions),
                [$"Giia:Jwt:SigningKeys ({keyId}) must be a P-256 key for ES256."]);
        }

        return new ECDsaSecurityKey(ecdsa) { KeyId = keyId };
    }

    private ECDsaSecurityKey DevelopmentKey(string? file, ILogger logger)
    {
        if (file is not null && File.Exists(file))
        {
            return Load(KeyIdOf(file), File.ReadAllText(file));
        }

        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        owned.Add(ecdsa);
        if (file is null)
        {
            LogEphemeral(logger);
            return new ECDsaSecurityKey(ecdsa) { KeyId = $"dev-{Guid.NewGuid():N}"[..12] };
        }

        // Replicas starting together race to create the file: each writes its key under a name of its own, then
        // links it into place only if no key is there yet. The loser uses the winner's key, so all sign alike.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var candidate = $"{file}.{Guid.NewGuid():N}.tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(candidate, System.Text.Encoding.ASCII, create))
        {
            writer.Write(ecdsa.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            File.Move(candidate, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(candidate);
            return Load(KeyIdOf(file), File.ReadAllText(file));
        }

        return new ECDsaSecurityKey(ecdsa) { KeyId = KeyIdOf(file) };
    }

    private static string KeyIdOf(string file) =>
        "dev-" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))[..8].ToLowerInvariant();

    public void Dispose() => owned.ForEach(key => key.Dispose());

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Giia:Jwt:SigningKeys and no DevelopmentKeyFile: tokens are signed with a key that dies with this process")]
    private static partial void LogEphemeral(ILogger logger);
}

/// <summary>Outside development, at least one signing key must be configured: the service refuses to start without one.</summary>
internal sealed class SigningKeysRequired(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options) =>
        options.SigningKeys.Count == 0 && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail("Giia:Jwt:SigningKeys is required outside development (at least one key: KeyId and PrivateKeyPem).")
            : ValidateOptionsResult.Success;
}

/// <summary>Loads the keys when the service starts, so a bad PEM stops start-up rather than the first login.</summary>
internal sealed class SigningKeysLoader(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SigningKeys>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
