// The spec's catalog.v1 examples: sign in over REST (Auth), then ListProducts, GetProduct, SearchProducts,
// ListSuppliers and GetBufferProfile over gRPC with the user's token, handling each status code.
using Giia.Catalog.Grpc.V1;
using Giia.Examples;

using Grpc.Core;
using Grpc.Net.Client;

try
{
    var token = await SignIn.AccessTokenAsync();
    using var channel = GrpcChannel.ForAddress(SignIn.Setting("GIIA_CATALOG_GRPC", "http://localhost:9092"));
    var catalog = new CatalogService.CatalogServiceClient(channel);
    var caller = new Metadata { { "authorization", $"Bearer {token}" } };
    var query = args.FirstOrDefault() ?? "bolt";

    var page = await catalog.ListProductsAsync(new ListProductsRequest { Page = 1, PageSize = 10 }, caller);
    Console.WriteLine($"ListProducts: {page.Total} products, first page:");
    foreach (var product in page.Products)
    {
        Console.WriteLine($"  {product.Sku,-10} {product.Name} ({product.Status}, {product.StandardCost:0.00} per {product.UnitOfMeasure})");
    }

    if (page.Products.Count > 0)
    {
        var first = (await catalog.GetProductAsync(new GetProductRequest { Id = page.Products[0].Id }, caller)).Product;
        Console.WriteLine($"GetProduct {first.Id}: {first.Sku} in {first.Category}, buffer profile {(first.BufferProfileId.Length > 0 ? first.BufferProfileId : "none")}");
        if (first.BufferProfileId.Length > 0)
        {
            var profile = (await catalog.GetBufferProfileAsync(new GetBufferProfileRequest { Id = first.BufferProfileId }, caller)).BufferProfile;
            Console.WriteLine($"GetBufferProfile: {profile.Name} (ADU {profile.AduMethod}, lead-time factor {profile.LeadTimeFactor}, variability factor {profile.VariabilityFactor})");
        }
    }

    var found = await catalog.SearchProductsAsync(new SearchProductsRequest { Query = query }, caller);
    Console.WriteLine($"SearchProducts '{query}': {found.Products.Count} found ({string.Join(", ", found.Products.Take(5).Select(p => p.Sku))})");

    var suppliers = await catalog.ListSuppliersAsync(new ListSuppliersRequest { Status = "active" }, caller);
    Console.WriteLine($"ListSuppliers: {string.Join(", ", suppliers.Suppliers.Select(s => $"{s.Code} ({s.DefaultLeadTime} d)"))}");
    return 0;
}
catch (RpcException ex)
{
    Console.Error.WriteLine(GrpcErrors.Describe(ex));
    return 1;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
