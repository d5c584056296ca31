using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Email;
using Giia.Auth.Invalidation;
using Giia.Auth.Organizations;
using Giia.Auth.Rbac;
using Giia.Auth.Sessions;
using Giia.Auth.Tokens;
using Giia.Auth.Users;
using Giia.Data;
using Giia.Events;
using Giia.Events.Contracts;
using Giia.GrpcApi;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;
using Giia.Redis;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Options;

namespace Giia.Auth;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, AuthDbContext>("authdb");
        builder.Services.AddDbSeeder<AuthDbContext, RbacSeed>();
        builder.Services.AddDbSeeder<AuthDbContext, DemoOrganizationSeeder>();
        builder.Services.AddValidatedOptions<DemoDataOptions>(DemoDataOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<DemoDataOptions>, DemoPasswordRequired>();
        builder.AddServiceRedis("redis");
        // A mail can take seconds: a few in hand at once, so none waits in the client's buffer past AckWait.
        static void MailFlow(ConsumerOptions consumer) => consumer.MaxAckPending = 5;
        builder.AddEventBus()
            .AddOutbox<AuthDbContext>()
            .AddSubscription<UserRegistered, AccountEmails>("verification-email", MailFlow)
            .AddSubscription<UserVerificationRequested, AccountEmails>("verification-resend", MailFlow)
            .AddSubscription<UserPasswordResetRequested, AccountEmails>("password-email", MailFlow)
            .AddSubscription<UserRegistrationAttempted, AccountEmails>("registration-attempt-email", MailFlow);
        builder.AddGrpcDefaults();
        builder.AddHttpApi(new ApiContract("GIIA Auth API",
            "Organizations, users, sign-in and tokens, sessions, roles and permissions, and the audit trail. Access tokens are "
            + "ES256 JWTs verified against `/.well-known/jwks.json`; every answer that is not a success is RFC 9457 problem+json.",
            new Uri("http://localhost:8083"), "auth", new Dictionary<string, string>
            {
                ["Authentication"] = "Sign-up, email verification, sign-in, token refresh, sign-out and passwords.",
                ["Sessions"] = "The caller's own sessions (one per sign-in).",
                ["Users"] = "One's own profile, and the organization's users for those allowed.",
                ["Roles"] = "Permissions, system and custom roles, and role assignments.",
                ["Audit"] = "The organization's audit records.",
                ["Tokens"] = "Public keys and discovery for verifying access tokens.",
            }));
        builder.Services.AddHttpContextAccessor();

        builder.Services.AddValidatedOptions<JwtOptions>(JwtOptions.SectionName);
        builder.Services.AddValidatedOptions<PasswordOptions>(PasswordOptions.SectionName);
        builder.Services.AddValidatedOptions<LockoutOptions>(LockoutOptions.SectionName);
        builder.Services.AddValidatedOptions<SessionLifetimeOptions>(SessionLifetimeOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<SessionLifetimeOptions>, SessionLifetimeOptionsValidator>();
        builder.Services.AddValidatedOptions<RateLimitingOptions>(RateLimitingOptions.SectionName);
        builder.Services.AddValidatedOptions<EmailOptions>(EmailOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();

        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<IValidateOptions<JwtOptions>, SigningKeysRequired>();
        builder.Services.AddHostedService<SigningKeysLoader>();
        builder.Services.AddSingleton<AccessTokens>();
        builder.Services.AddSingleton<PasswordHasher>();
        builder.Services.AddSingleton<PasswordPolicy>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddScoped<OneTimeTokens>();
        builder.Services.AddScoped<Registration>();
        builder.Services.AddScoped<SignIn>();
        builder.Services.AddScoped<PasswordChanges>();
        builder.Services.AddScoped<PermissionService>();
        builder.AddPermissionCache();
        builder.Services.AddSingleton<InvalidationPublisher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<InvalidationPublisher>());
        // The other instances' notices, applied to this one's version stamps: a service that evicts on a notice and asks
        // again finds this instance knowing the change, whether or not Redis's backplane message has reached it yet.
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("nats")))
        {
            builder.Services.AddHostedService<NoticeFollower>();
        }

        builder.Services.AddValidatedOptions<AuditOptions>(AuditOptions.SectionName);
        builder.Services.AddSingleton<PermissionCheckAudit>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PermissionCheckAudit>());
        builder.Services.AddHealthChecks().AddCheck<PermissionCheckAudit>("audit");
        builder.Services.AddSingleton<SuspendedOrganizations>();
        builder.Services.AddHostedService<SuspensionWatcher>();
        builder.Services.AddSingleton<PermissionChecks>();
        builder.Services.AddScoped<UserAdministration>();
        builder.Services.AddScoped<RoleAdministration>();
        builder.Services.AddScoped<UserSessionAdministration>();
        builder.Services.AddSingleton<SessionEnding>();
        builder.Services.AddScoped<Privileges>();
        builder.Services.AddSingleton<IEmailSender>(services =>
            services.GetRequiredService<IOptions<EmailOptions>>().Value.Provider == "smtp"
                ? ActivatorUtilities.CreateInstance<SmtpEmailSender>(services)
                : ActivatorUtilities.CreateInstance<PickupDirectoryEmailSender>(services));

        builder.Services.AddTokenAuthentication();
        builder.Services.AddAuthRateLimiting();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseHttpApi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGrpcDefaults();
        app.MapGrpcService<AuthGrpcService>();
        app.MapTokenEndpoints();
        app.MapAccountEndpoints();
        app.MapSessionEndpoints();
        app.MapUserEndpoints();
        app.MapRoleEndpoints();
        app.MapAuditEndpoints();
        return app;
    }
}
