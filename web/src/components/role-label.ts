/**
 * Roles and trades as people read them.
 */
import type { Role, Specialisation } from '../api/types';

/** A role's name, capitalised. */
export const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  engineer: 'Engineer',
  crew: 'Crew',
  viewer: 'Viewer',
};

/** Every role, most powerful first. */
export const ROLES: readonly Role[] = ['owner', 'admin', 'manager', 'engineer', 'crew', 'viewer'];

/** What each role may do, in a few words (invitations, API keys). */
export const ROLE_SUMMARY: Record<Role, string> = {
  owner: 'everything, including other owners',
  admin: 'people, settings and every vessel',
  manager: 'every vessel, faults and parts',
  engineer: 'their vessels: equipment and faults',
  crew: 'their vessels: reports faults and readings',
  viewer: 'their vessels, read only',
};

/** A trade's name. */
export const SPECIALISATION_LABEL: Record<Specialisation, string> = {
  mechanical: 'Mechanical',
  electrical: 'Electrical',
  electronics: 'Electronics',
  hydraulics: 'Hydraulics',
  deck: 'Deck',
  hull: 'Hull',
  safety: 'Safety',
  general: 'General',
};

/** The role's name; an unknown one (a newer server's) as it was sent. */
export function roleLabel(role: string): string {
  return (ROLE_LABEL as Record<string, string | undefined>)[role] ?? role;
}

/** The trade's name; an unknown one as it was sent. */
export function specialisationLabel(specialisation: string): string {
  return (SPECIALISATION_LABEL as Record<string, string | undefined>)[specialisation] ?? specialisation;
}
