namespace Giia.Data;

/// <summary>
/// The development demo (<c>Giia:DemoData</c>): one organization, users with each system role, and a catalog to look
/// at, created at start-up by Auth and Catalog when enabled. Never enabled in staging or production.
/// </summary>
public sealed class DemoDataOptions
{
    public const string SectionName = "Giia:DemoData";

    /// <summary>The demo organization's id, the same in every service so the data lines up.</summary>
    public static readonly Guid OrganizationId = new("0193a000-0000-7000-8000-00000000de40");

    public bool Enabled { get; set; }

    /// <summary>The demo users' password (Auth, and the buffer engine that signs in as the demo administrator; the AppHost generates one and shows it among its parameters).</summary>
    public string? Password { get; set; }
}
