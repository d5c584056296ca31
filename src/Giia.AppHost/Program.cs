using Giia.AppHost.Infrastructure;

try
{
    var builder = DistributedApplication.CreateBuilder(args);

    var infrastructure = builder.AddGiiaInfrastructure();
    var authDb = infrastructure.AddDatabase("authdb");
    var catalogDb = infrastructure.AddDatabase("catalogdb");
    var dlqDb = infrastructure.AddDatabase("dlqdb");
    var redis = infrastructure.Redis;
    var nats = infrastructure.Nats;

    // Auth replicas share the database, Redis (permission cache and its backplane) and NATS. Deployed, they are one
    // resource with n replicas; in a local run each is a resource of its own (auth, auth-2, ...) so it can be
    // addressed (and stopped) one by one.
    var authReplicas = builder.Configuration["Giia:Auth:Replicas"] is not { } replicasSetting ? 1
        : int.TryParse(replicasSetting, out var parsed) && parsed is >= 1 and <= 10 ? parsed
        : throw new InfrastructureSetupException($"Giia:Auth:Replicas must be a whole number from 1 to 10, not '{replicasSetting}'.");
    IResourceBuilder<ProjectResource> AddAuth(string name) => builder.AddProject<Projects.Giia_Auth>(name)
        .WithPlainHttpWhenPublished()
        .WithReference(authDb).WaitFor(authDb)
        .WithReference(redis).WaitFor(redis)
        .WithReference(nats).WaitFor(nats)
        .WithOptionalSetting("Giia:RateLimiting:AuthRequestsPerMinute")
        .WithOptionalSetting("Giia:Lockout:MaxFailures")
        .WithOptionalSetting("Giia:PermissionCache:MemoryDuration")
        .WithOptionalSetting("Giia:Audit:PermissionChecks")
        .WithHttpHealthCheck("/health/ready");

    var auth = AddAuth("auth");
    var demo = !builder.ExecutionContext.IsPublishMode && bool.TryParse(builder.Configuration["Giia:DemoData:Enabled"], out var demoEnabled) && demoEnabled;
    if (builder.ExecutionContext.IsPublishMode)
    {
        // Deployed: the ES256 signing key comes from the secret store (see README, "Secrets").
        auth.WithReplicas(authReplicas)
            .WithEnvironment("Giia__Jwt__SigningKeys__0__KeyId", builder.AddParameter("jwt-signing-key-id"))
            .WithEnvironment("Giia__Jwt__SigningKeys__0__PrivateKeyPem", builder.AddParameter("jwt-signing-key-pem", secret: true));
    }
    else
    {
        // A local run keeps a generated development key and writes mail as .eml files, both under the data folder.
        var replicas = new List<IResourceBuilder<ProjectResource>> { auth };
        for (var i = 2; i <= authReplicas; i++)
        {
            // Later replicas start once the first has migrated the database.
            replicas.Add(AddAuth($"auth-{i}").WaitFor(auth));
        }

        // The demo organization and its users (Giia:DemoData:Enabled, on in appsettings.Development.json); the
        // users' password is generated once and shown among the dashboard's parameters.
        var demoPassword = demo ? builder.AddParameter("demo-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true) : null;
        foreach (var replica in replicas)
        {
            replica.WithEnvironment("Giia__DemoData__Enabled", demo ? "true" : "false");
            if (demoPassword is not null)
            {
                replica.WithEnvironment("Giia__DemoData__Password", demoPassword);
            }

            replica.WithSetting("Giia:Jwt:DevelopmentKeyFile", Path.Combine(infrastructure.DataRoot, "jwt", "auth-signing-key.pem"))
                .WithSetting("Giia:Email:PickupDirectory", Path.Combine(infrastructure.DataRoot, "mail"));
        }
    }

    var catalog = builder.AddProject<Projects.Giia_Catalog>("catalog")
        .WithPlainHttpWhenPublished()
        .WithReference(catalogDb).WaitFor(catalogDb)
        .WithReference(nats).WaitFor(nats)
        .WithReference(auth).WaitFor(auth)
        .WithHttpHealthCheck("/health/ready");
    if (!builder.ExecutionContext.IsPublishMode)
    {
        catalog.WithEnvironment("Giia__DemoData__Enabled", demo ? "true" : "false");
    }

    // The dead-letter API takes users' Auth tokens (dlq:read, dlq:replay, dlq:discard), like Catalog.
    builder.AddProject<Projects.Giia_DlqWorker>("dlq-worker")
        .WithPlainHttpWhenPublished()
        .WithReference(dlqDb).WaitFor(dlqDb)
        .WithReference(nats).WaitFor(nats)
        .WithReference(auth).WaitFor(auth)
        .WithOptionalSetting("Giia:Dlq:AlertWebhookUrl")
        .WithHttpHealthCheck("/health/ready");

    await builder.Build().RunAsync();
    return 0;
}
catch (InfrastructureSetupException ex)
{
    await Console.Error.WriteLineAsync($"GIIA: {ex.Message}");
    return 1;
}
