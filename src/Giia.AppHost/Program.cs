using Giia.AppHost.Infrastructure;
using Giia.Events.Access;

try
{
    var builder = DistributedApplication.CreateBuilder(args);
    // Every service keeps this share of new traces (Giia.ServiceDefaults' TelemetryOptions); unset, 1.0 in Development.
    const string TraceSampleRatio = "Giia:Telemetry:TraceSampleRatio";

    var infrastructure = builder.AddGiiaInfrastructure();
    var authDb = infrastructure.AddDatabase("authdb");
    var catalogDb = infrastructure.AddDatabase("catalogdb");
    var dlqDb = infrastructure.AddDatabase("dlqdb");
    var ddmrpDb = infrastructure.AddDatabase("ddmrpdb");
    var redis = infrastructure.Redis;

    // Auth replicas share the database, Redis (permission cache and its backplane) and NATS (each service has a NATS
    // login of its own, allowed only its own subjects: src/Giia.Events/Access/NatsAccessTable.cs). Deployed, they are one
    // resource with n replicas; in a local run each is a resource of its own (auth, auth-2, ...) so it can be
    // addressed (and stopped) one by one.
    var authReplicas = builder.Configuration["Giia:Auth:Replicas"] is not { } replicasSetting ? 1
        : int.TryParse(replicasSetting, out var parsed) && parsed is >= 1 and <= 10 ? parsed
        : throw new InfrastructureSetupException($"Giia:Auth:Replicas must be a whole number from 1 to 10, not '{replicasSetting}'.");
    // Each service's migrations and seeding run to completion first, as a resource of their own (a Job when deployed).
    // Auth's seed touches roles, so it retires cached permission sets in Redis like any other role change.
    var authMigrations = builder.AddMigrations<Projects.Giia_Auth>("auth", authDb).WithReference(redis).WaitFor(redis);
    var catalogMigrations = builder.AddMigrations<Projects.Giia_Catalog>("catalog", catalogDb);
    var dlqMigrations = builder.AddMigrations<Projects.Giia_DlqWorker>("dlq-worker", dlqDb);
    var ddmrpMigrations = builder.AddMigrations<Projects.Giia_Ddmrp>("ddmrp", ddmrpDb);

    IResourceBuilder<ProjectResource> AddAuth(string name) => builder.AddProject<Projects.Giia_Auth>(name)
        .WithPlainHttpWhenPublished()
        .WithMigratedDatabase(authDb, authMigrations)
        .WithReference(redis).WaitFor(redis)
        .WithNats(infrastructure, NatsAccessTable.Auth)
        .WithOptionalSetting("Giia:RateLimiting:AuthRequestsPerMinute")
        .WithOptionalSetting("Giia:Lockout:MaxFailures")
        .WithOptionalSetting("Giia:PermissionCache:MemoryDuration")
        .WithOptionalSetting("Giia:Audit:PermissionChecks")
        .WithOptionalSetting(TraceSampleRatio)
        .WithOptionalSetting("Giia:Email:PickupDelay")
        .WithOptionalSetting("Giia:Email:PickupDelayDomain")
        .WithOptionalSetting("Giia:Events:Subscriptions:auth-verification-email:AckWait")
        .WithHttpHealthCheck("/health/ready");

    var auth = AddAuth("auth");
    var replicas = new List<IResourceBuilder<ProjectResource>> { auth };
    var demo = !builder.ExecutionContext.IsPublishMode && bool.TryParse(builder.Configuration["Giia:DemoData:Enabled"], out var demoEnabled) && demoEnabled;
    // The demo organization and its users (Giia:DemoData:Enabled, on in appsettings.Development.json); the users'
    // password is generated once and shown among the dashboard's parameters.
    var demoPassword = demo ? builder.AddParameter("demo-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true) : null;
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
        for (var i = 2; i <= authReplicas; i++)
        {
            replicas.Add(AddAuth($"auth-{i}"));
        }

        foreach (var resource in replicas.Append(authMigrations))
        {
            resource.WithEnvironment("Giia__DemoData__Enabled", demo ? "true" : "false");
            if (demoPassword is not null)
            {
                resource.WithEnvironment("Giia__DemoData__Password", demoPassword);
            }
        }

        foreach (var replica in replicas)
        {
            replica.WithSetting("Giia:Jwt:DevelopmentKeyFile", Path.Combine(infrastructure.DataRoot, "jwt", "auth-signing-key.pem"))
                .WithSetting("Giia:Email:PickupDirectory", Path.Combine(infrastructure.DataRoot, "mail"));
        }
    }

    var catalog = builder.AddProject<Projects.Giia_Catalog>("catalog")
        .WithPlainHttpWhenPublished()
        .WithMigratedDatabase(catalogDb, catalogMigrations)
        .WithNats(infrastructure, NatsAccessTable.Catalog)
        .WithReference(auth).WaitFor(auth)
        .WithOptionalSetting(TraceSampleRatio)
        .WithHttpHealthCheck("/health/ready");
    // The buffer engine reads products and buffer profiles from Catalog's gRPC API with the caller's token.
    var ddmrp = builder.AddProject<Projects.Giia_Ddmrp>("ddmrp")
        .WithPlainHttpWhenPublished()
        .WithMigratedDatabase(ddmrpDb, ddmrpMigrations)
        .WithNats(infrastructure, NatsAccessTable.Ddmrp)
        .WithReference(auth).WaitFor(auth)
        .WithReference(catalog).WaitFor(catalog)
        .WithOptionalSetting("Giia:CatalogClient:CallTimeout")
        .WithOptionalSetting(TraceSampleRatio)
        .WithHttpHealthCheck("/health/ready");

    // Catalog and the buffer engine spread their permission checks over every Auth replica (service discovery lists
    // them all; in a cluster, the headless auth-grpc-pods Service does).
    for (var i = 1; i < replicas.Count; i++)
    {
        catalog.WithEnvironment($"services__auth__grpc__{i}", replicas[i].GetEndpoint("grpc")).WaitFor(replicas[i]);
        ddmrp.WithEnvironment($"services__auth__grpc__{i}", replicas[i].GetEndpoint("grpc")).WaitFor(replicas[i]);
    }

    if (!builder.ExecutionContext.IsPublishMode)
    {
        foreach (var resource in new[] { catalog, catalogMigrations })
        {
            resource.WithEnvironment("Giia__DemoData__Enabled", demo ? "true" : "false");
        }

        // The buffer engine gives the demo products usage and positions and calculates their buffers, signed in as the
        // demo administrator like any user.
        ddmrp.WithEnvironment("Giia__DemoData__Enabled", demo ? "true" : "false");
        if (demoPassword is not null)
        {
            ddmrp.WithEnvironment("Giia__DemoData__Password", demoPassword);
        }
    }

    // The dead-letter API takes users' Auth tokens (dlq:read, dlq:replay, dlq:discard), like Catalog.
    builder.AddProject<Projects.Giia_DlqWorker>("dlq-worker")
        .WithPlainHttpWhenPublished()
        .WithMigratedDatabase(dlqDb, dlqMigrations)
        .WithNats(infrastructure, NatsAccessTable.DlqWorker)
        .WithReference(auth).WaitFor(auth)
        .WithOptionalSetting("Giia:Dlq:AlertWebhookUrl")
        .WithOptionalSetting("Giia:Dlq:StuckAfter")
        .WithOptionalSetting("Giia:Dlq:SweepInterval")
        .WithOptionalSetting(TraceSampleRatio)
        .WithHttpHealthCheck("/health/ready");

    await builder.Build().RunAsync();
    return 0;
}
catch (InfrastructureSetupException ex)
{
    await Console.Error.WriteLineAsync($"GIIA: {ex.Message}");
    return 1;
}
