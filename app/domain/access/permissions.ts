/**
 * Roles and what they may do. The server checks these on every loader and action; the UI only uses
 * them to decide what to show. Permission strings are `action:entity[:own|any]`.
 */
export const ROLES = ["citizen", "clerk", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "read:catalogue",
  "create:dossier:own",
  "read:dossier:own",
  "process:dossier:agency",
  "read:dossier:agency",
  "read:stats:agency",
  "manage:users:any",
  "manage:calendar:any",
  "manage:catalogue:any",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const rolePermissions = {
  citizen: ["read:catalogue", "create:dossier:own", "read:dossier:own"],
  clerk: ["read:catalogue", "process:dossier:agency", "read:dossier:agency"],
  manager: ["read:catalogue", "read:dossier:agency", "read:stats:agency"],
  admin: ["read:catalogue", "manage:users:any", "manage:calendar:any", "manage:catalogue:any", "read:stats:agency"],
} as const satisfies Record<Role, readonly Permission[]>;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return (rolePermissions[role] as readonly Permission[]).includes(permission);
}

/** Where each role lands after signing in. */
export function homePathFor(role: Role): string {
  switch (role) {
    case "citizen":
      return "/account";
    case "clerk":
      return "/clerk";
    case "manager":
      return "/manager";
    case "admin":
      return "/admin";
    default: {
      const unreachable: never = role;
      return unreachable;
    }
  }
}
