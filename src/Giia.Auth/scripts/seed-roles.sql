-- GIIA RBAC seed: 4 system roles, 24 permissions (the spec's 18 + roles:read, roles:write, audit:read and dlq:read,
-- dlq:replay, dlq:discard; the same names as Giia.Auth.Client's Permissions) and the
-- role-permission mapping. Idempotent (ON CONFLICT DO NOTHING): run it any number of times; the Auth service runs
-- it at every start, after migrations.
BEGIN;

INSERT INTO roles (id, organization_id, name, description, level, created_at, updated_at) VALUES
  (gen_random_uuid(), NULL, 'Admin',   'Full system administrator with all permissions',        1, NOW(), NOW()),
  (gen_random_uuid(), NULL, 'Manager', 'Operations manager with write access to core entities', 2, NOW(), NOW()),
  (gen_random_uuid(), NULL, 'Analyst', 'Read-only analyst for data analysis',                   3, NOW(), NOW()),
  (gen_random_uuid(), NULL, 'Viewer',  'Read-only viewer for basic viewing',                    4, NOW(), NOW())
ON CONFLICT (name) WHERE organization_id IS NULL DO NOTHING;

INSERT INTO permissions (id, name, description, resource, action, created_at) VALUES
  (gen_random_uuid(), 'users:read',      'Read user data',                  'users',    'read',     NOW()),
  (gen_random_uuid(), 'users:write',     'Create and update users',         'users',    'write',    NOW()),
  (gen_random_uuid(), 'users:delete',    'Delete users',                    'users',    'delete',   NOW()),
  (gen_random_uuid(), 'users:activate',  'Activate/deactivate users',       'users',    'activate', NOW()),
  (gen_random_uuid(), 'catalog:read',    'Read catalog data',               'catalog',  'read',     NOW()),
  (gen_random_uuid(), 'catalog:write',   'Create and update catalog items', 'catalog',  'write',    NOW()),
  (gen_random_uuid(), 'catalog:delete',  'Delete catalog items',            'catalog',  'delete',   NOW()),
  (gen_random_uuid(), 'buffers:read',    'Read buffer data',                'buffers',  'read',     NOW()),
  (gen_random_uuid(), 'buffers:write',   'Create and update buffers',       'buffers',  'write',    NOW()),
  (gen_random_uuid(), 'buffers:delete',  'Delete buffers',                  'buffers',  'delete',   NOW()),
  (gen_random_uuid(), 'orders:read',     'Read orders',                     'orders',   'read',     NOW()),
  (gen_random_uuid(), 'orders:write',    'Create and update orders',        'orders',   'write',    NOW()),
  (gen_random_uuid(), 'orders:delete',   'Delete orders',                   'orders',   'delete',   NOW()),
  (gen_random_uuid(), 'orders:approve',  'Approve orders',                  'orders',   'approve',  NOW()),
  (gen_random_uuid(), 'reports:read',    'View reports',                    'reports',  'read',     NOW()),
  (gen_random_uuid(), 'reports:write',   'Create custom reports',           'reports',  'write',    NOW()),
  (gen_random_uuid(), 'settings:read',   'View system settings',            'settings', 'read',     NOW()),
  (gen_random_uuid(), 'settings:write',  'Modify system settings',          'settings', 'write',    NOW()),
  (gen_random_uuid(), 'roles:read',      'Read roles and assignments',      'roles',    'read',     NOW()),
  (gen_random_uuid(), 'roles:write',     'Manage custom roles and assign roles', 'roles', 'write',  NOW()),
  (gen_random_uuid(), 'audit:read',      'Read the audit log',              'audit',    'read',     NOW()),
  (gen_random_uuid(), 'dlq:read',        'Read the organization''s dead letters', 'dlq', 'read',    NOW()),
  (gen_random_uuid(), 'dlq:replay',      'Replay dead letters',             'dlq',      'replay',   NOW()),
  (gen_random_uuid(), 'dlq:discard',     'Discard dead letters',            'dlq',      'discard',  NOW())
ON CONFLICT (name) DO NOTHING;

INSERT INTO role_permissions (role_id, permission_id, created_at)
SELECT r.id, p.id, NOW()
FROM roles r
JOIN permissions p ON
     (r.name = 'Admin')
  OR (r.name = 'Manager' AND p.name IN ('users:read', 'users:write', 'catalog:read', 'catalog:write', 'buffers:read',
                                        'buffers:write', 'orders:read', 'orders:write', 'orders:approve', 'reports:read'))
  OR (r.name = 'Analyst' AND p.name IN ('catalog:read', 'buffers:read', 'orders:read', 'reports:read'))
  OR (r.name = 'Viewer'  AND p.name IN ('catalog:read', 'buffers:read', 'orders:read'))
WHERE r.organization_id IS NULL
ON CONFLICT DO NOTHING;

COMMIT;
