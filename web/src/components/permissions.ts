/**
 * Which role may take which action, as docs/PERMISSIONS.md's role × action table says (the
 * server enforces it; the app only hides what a role cannot do). Only the actions the app's
 * screens ask about are listed.
 */
import type { Role } from '../api/types';

const ACTIONS = {
  'company.branding.update': ['owner', 'admin'],
  'company.security.update': ['owner', 'admin'],
  'vessel.create': ['owner', 'admin', 'manager'],
  'vessel.update': ['owner', 'admin', 'manager'],
  'department.create': ['owner', 'admin', 'manager'],
  'rotation.assign': ['owner', 'admin', 'manager'],
  'user.list': ['owner', 'admin', 'manager'],
  'user.update': ['owner', 'admin'],
  'audit.read': ['owner', 'admin'],
  'equipment.write': ['owner', 'admin', 'manager', 'engineer'],
  'analytics.read': ['owner', 'admin', 'manager', 'engineer'],
  'analytics.costs': ['owner', 'admin', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

/** An action the app asks about. */
export type Action = keyof typeof ACTIONS;

/** Whether a person of `role` may take `action`. */
export function may(role: Role, action: Action): boolean {
  return (ACTIONS[action] as readonly Role[]).includes(role);
}
