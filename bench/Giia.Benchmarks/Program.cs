using Giia.Benchmarks;

// Benchmarks run against the real system, started as the tests start it (local PostgreSQL, Redis, NATS).
// Usage: dotnet run -c Release --project bench/Giia.Benchmarks -- <events|passwords|performance|permission-checks|audit-size|buffer-calculation|recalculation|revocation> [options]
return args.FirstOrDefault() switch
{
    "events" => await EventsBenchmark.RunAsync(args[1..]),
    "passwords" => PasswordBenchmark.Run(args[1..]),
    "performance" => await PerformanceBenchmark.RunAsync(args[1..]),
    "permission-checks" => await PermissionCheckBenchmarks.RunAsync(),
    "buffer-calculation" => BufferCalculationBenchmarks.Run(),
    "recalculation" => await RecalculationBenchmark.RunAsync(args[1..]),
    "audit-size" => await AuditSizeBenchmark.RunAsync(args[1..]),
    "revocation" => await RevocationBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Giia.Benchmarks -- events [--events N] [--rate R] [--seconds S] | passwords [--hashes N] | performance [--concurrency C] [--seconds S] [--sweep-seconds S] [--cold-users N] [--sample-ratio R] [--out DIR] | permission-checks | audit-size [--checks N] | buffer-calculation | recalculation [--products N] [--days D] | revocation [--revocations N] [--cut-revocations N]");
    return 2;
}
