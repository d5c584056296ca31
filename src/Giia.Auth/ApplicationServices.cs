using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Email;
using Giia.Auth.Organizations;
using Giia.Auth.Rbac;
using Giia.Auth.Sessions;
using Giia.Auth.Tokens;
using Giia.Auth.Users;
using Giia.Events;
using Giia.Events.Contracts;
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
        builder.AddEventBus()
            .AddOutbox<AuthDbContext>()
            .AddSubscription<UserRegistered, AccountEmails>("verification-email")
            .AddSubscription<UserVerificationRequested, AccountEmails>("verification-resend")
            .AddSubscription<UserPasswordResetRequested, AccountEmails>("password-email");
        builder.AddGrpcDefaults();
        builder.Services.AddHttpContextAccessor();

        builder.Services.AddValidatedOptions<JwtOptions>(JwtOptions.SectionName);
        builder.Services.AddValidatedOptions<PasswordOptions>(PasswordOptions.SectionName);
        builder.Services.AddValidatedOptions<LockoutOptions>(LockoutOptions.SectionName);
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
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddScoped<PermissionService>();
        builder.AddPermissionCache();
        builder.Services.AddValidatedOptions<AuditOptions>(AuditOptions.SectionName);
        builder.Services.AddSingleton<PermissionCheckAudit>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PermissionCheckAudit>());
        builder.Services.AddHealthChecks().AddCheck<PermissionCheckAudit>("audit");
        builder.Services.AddSingleton<PermissionChecks>();
        builder.Services.AddScoped<UserAdministration>();
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
        app.UseExceptionHandler();
        app.UseStatusCodePages();
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
