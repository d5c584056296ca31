using Microsoft.Extensions.Options;

namespace Giia.Auth.Sessions;

/// <summary>An idle timeout longer than the absolute lifetime would never apply: that configuration is refused at start-up.</summary>
public sealed class SessionLifetimeOptionsValidator : IValidateOptions<SessionLifetimeOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionLifetimeOptions options) =>
        options.IdleTimeout > options.AbsoluteLifetime
            ? ValidateOptionsResult.Fail(
                $"{SessionLifetimeOptions.SectionName}:IdleTimeout ({options.IdleTimeout}) must not exceed {SessionLifetimeOptions.SectionName}:AbsoluteLifetime ({options.AbsoluteLifetime}).")
            : ValidateOptionsResult.Success;
}
