import type { Role } from '../domain/appeal';

/** The service navigation: each page a role reaches from every page. Add a page here to list it. */
const NAVIGATION: { text: string; href: string; roles: readonly Role[] }[] = [
  { text: 'Your work', href: '/', roles: ['caseworker', 'manager', 'arbiter', 'admin'] },
  { text: 'Appeals', href: '/appeals', roles: ['caseworker', 'manager', 'arbiter', 'admin'] },
  { text: 'Departments', href: '/admin/departments', roles: ['admin'] },
  { text: 'Arbiters', href: '/admin/arbiters', roles: ['admin'] },
  { text: 'Reports', href: '/reports', roles: ['caseworker', 'admin'] },
];

/** The navigation for a role, the item of the page being shown marked current. */
export function navigationFor(role: Role, path: string): { text: string; href: string; current: boolean }[] {
  return NAVIGATION.filter((item) => item.roles.includes(role)).map(({ text, href }) => ({
    text,
    href,
    current: href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`),
  }));
}
