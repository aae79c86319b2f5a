import type { Role } from '@gansight/client';

const RANK: Record<Role, number> = { VIEWER: 1, MANAGER: 2, ENGINEER: 3, ADMIN: 4 };

/** Same order as the API's (apps/api authorize.ts): ADMIN > ENGINEER > MANAGER > VIEWER. */
export function roleAtLeast(role: Role | null | undefined, needed: Role): boolean {
  return role != null && RANK[role] >= RANK[needed];
}

export function asRole(value: string | null | undefined): Role | null {
  return value === 'ADMIN' || value === 'ENGINEER' || value === 'MANAGER' || value === 'VIEWER' ? value : null;
}

/** One entry of the navigation; shown only to roles the API would let use the page. */
export interface NavItem {
  href: string;
  label: string;
  role: Role;
}

/**
 * The pages of a factory and who sees them. The API enforces the same roles (permissions.ts);
 * hiding a link is only so that nobody is shown a page that would answer FORBIDDEN.
 */
export const NAV_ITEMS: NavItem[] = [
  { href: '', label: 'Overview', role: 'MANAGER' },
  { href: '/inspections', label: 'Inspections', role: 'VIEWER' },
  { href: '/review', label: 'Review', role: 'MANAGER' },
  { href: '/lots', label: 'Lots', role: 'VIEWER' },
  { href: '/products', label: 'Products', role: 'VIEWER' },
  { href: '/settings', label: 'Settings', role: 'ADMIN' },
];

export function navFor(role: Role | null): NavItem[] {
  return NAV_ITEMS.filter((item) => roleAtLeast(role, item.role));
}

/** Where a role lands after signing in: managers watch trends, everyone else inspections. */
export function homePath(factoryId: string, role: Role | null): string {
  return roleAtLeast(role, 'MANAGER') ? `/f/${factoryId}` : `/f/${factoryId}/inspections`;
}
