using System.Net.Http.Json;

using Giia.Auth.Client;
using Giia.Catalog.Grpc.V1;
using Giia.Data;
using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Inputs;
using Giia.HttpApi;

using Grpc.Core;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Ddmrp.Demo;

/// <summary>
/// The demo organization's buffers (<see cref="DemoDataOptions"/>, local runs only): 90 days of usage and an on-hand
/// position for each demo product, then each buffer calculated as a user would (signed in as the demo administrator,
/// through Catalog), so the planning screen shows every status. A product that has a buffer is left alone, so a
/// restart adds only what an interrupted run did not finish (a product with both calculations is done).
/// </summary>
internal sealed partial class DemoBuffers(IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<DemoDataOptions> demo,
    IOptions<AuthClientOptions> authClient, TimeProvider time, ILogger<DemoBuffers> logger) : BackgroundService
{
    public const string AdminEmail = "admin@demo.giia.local";
    public const int UsageDays = 90;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!demo.Value.Enabled || string.IsNullOrEmpty(demo.Value.Password))
        {
            return;
        }

        // Auth and Catalog seed the demo organization at their own pace: ask again until they have, less and less often,
        // and give up after a while (each attempt is a sign-in, which Auth counts against the demo administrator).
        var delay = FirstRetry;
        var giveUpAt = time.GetUtcNow() + GiveUpAfter;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var calculated = await SeedAsync(stoppingToken);
                LogSeeded(logger, calculated);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Demo data must never stop the service: whatever failed, say so and try again.
                if (time.GetUtcNow() + delay > giveUpAt)
                {
                    LogGaveUp(logger, ex.Message);
                    return;
                }

                LogNotYet(logger, ex.Message);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }

    private async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var organizationId = DemoDataOptions.OrganizationId;
        var authorization = $"Bearer {await SignInAsync(cancellationToken)}";
        await using var scope = scopes.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogService.CatalogServiceClient>();
        var products = await ListProductsAsync(catalog, authorization, cancellationToken);
        if (products.Count == 0)
        {
            throw new DemoNotReadyException("Catalog has no demo products yet");
        }

        var db = scope.ServiceProvider.GetRequiredService<DdmrpDbContext>();
        var positions = scope.ServiceProvider.GetRequiredService<PositionStore>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // Done means both calculations: a run stopped between them does the product again.
        var done = await db.Calculations.Where(c => c.OrganizationId == organizationId).GroupBy(c => c.ProductId)
            .Where(g => g.Count() >= 2).Select(g => g.Key).ToListAsync(cancellationToken);
        var calculations = scope.ServiceProvider.GetRequiredService<BufferCalculations>();
        var calculated = 0;
        foreach (var (product, index) in products.Select((p, i) => (p, i)).Where(p => !done.Contains(p.p)))
        {
            await positions.UpsertDailyAsync(organizationId, DailyQuantityKind.Usage,
                [.. Enumerable.Range(1, UsageDays).Select(daysAgo => (product, today.AddDays(-daysAgo), UsageOn(index, daysAgo)))], cancellationToken);
            // First with nothing on hand to learn the zones, then with the on hand that puts the buffer in its status:
            // the history starts with two calculations.
            await positions.UpsertOnHandAsync(organizationId, [(product, 0m)], cancellationToken);
            var first = await CalculateAsync(calculations, organizationId, product, authorization, cancellationToken);
            if (first is null)
            {
                continue;
            }

            await positions.UpsertOnHandAsync(organizationId, [(product, OnHandFor(index, first))], cancellationToken);
            if (await CalculateAsync(calculations, organizationId, product, authorization, cancellationToken) is not null)
            {
                calculated++;
            }
        }

        return calculated;
    }

    /// <summary>Green, yellow, red and below red in turn: on hand in the middle of green, of yellow, of red, or none.</summary>
    internal static decimal OnHandFor(int index, BufferCalculationRecord zones) => (index % 4) switch
    {
        0 => Math.Round((zones.TopOfYellow + zones.TopOfGreen) / 2, 0),
        1 => Math.Round((zones.TopOfRed + zones.TopOfYellow) / 2, 0),
        2 => Math.Round(zones.TopOfRed / 2, 0),
        _ => 0m,
    };

    /// <summary>A steady rate per product with a weekly wobble, so the ADU methods differ a little.</summary>
    internal static decimal UsageOn(int index, int daysAgo) => Math.Max(0, 5 + (index * 7 % 40) + ((daysAgo * 13 + index * 5) % 7) - 3);

    private async Task<string> SignInAsync(CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(nameof(DemoBuffers));
        client.BaseAddress = authClient.Value.HttpAddress;
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = AdminEmail, password = demo.Value.Password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoNotReadyException($"the demo administrator cannot sign in yet ({(int)response.StatusCode})");
        }

        var tokens = await response.Content.ReadFromJsonAsync<SignedIn>(cancellationToken);
        return tokens?.AccessToken ?? throw new DemoNotReadyException("Auth answered without a token");
    }

    private static async Task<List<Guid>> ListProductsAsync(CatalogService.CatalogServiceClient catalog, string authorization,
        CancellationToken cancellationToken)
    {
        var headers = new Metadata { { "authorization", authorization } };
        var products = new List<Guid>();
        for (var page = 1; ; page++)
        {
            var answer = await catalog.ListProductsAsync(new ListProductsRequest { Page = page, PageSize = 100 }, headers,
                deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
            products.AddRange(answer.Products.Where(p => !string.IsNullOrEmpty(p.BufferProfileId)).Select(p => Guid.Parse(p.Id)));
            if (answer.Products.Count < 100)
            {
                return products;
            }
        }
    }

    private async Task<BufferCalculationRecord?> CalculateAsync(BufferCalculations calculations, Guid organizationId, Guid productId,
        string authorization, CancellationToken cancellationToken)
    {
        var (saved, refusal) = await calculations.CalculateAsync(organizationId, productId, authorization, cancellationToken);
        if (refusal is { Status: StatusCodes.Status503ServiceUnavailable })
        {
            throw new DemoNotReadyException(refusal.Detail);
        }

        if (refusal is not null)
        {
            LogRefused(logger, productId, refusal.Title);
        }

        return saved;
    }

    private sealed record SignedIn(string AccessToken);

    private sealed class DemoNotReadyException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo buffers: {Count} products given usage, on hand and two calculations")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo buffers not written: still failing after ten minutes ({Reason}); giving up until the next start")]
    private static partial void LogGaveUp(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo buffers not written yet ({Reason}); trying again shortly")]
    private static partial void LogNotYet(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo buffer of product {ProductId} not calculated: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid productId, string reason);
}
