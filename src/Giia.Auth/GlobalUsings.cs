// The permission model (Permissions, Claims, RequirePermission) is shared with every service.
global using Giia.Auth.Client;
