/**
 * Which role may take which action, as docs/PERMISSIONS.md's role × action table says (the
 * server enforces it on every write; the app only keeps off the screen what a role cannot do).
 * Only the actions the app's screens ask about are listed.
 */
import type { Role } from '../api/types';

const ACTIONS = {
  'company.branding.update': ['owner', 'admin'],
  'company.security.update': ['owner', 'admin'],
  'company.purchasing.update': ['owner', 'admin'],
  'vessel.create': ['owner', 'admin', 'manager'],
  'vessel.update': ['owner', 'admin', 'manager'],
  'department.create': ['owner', 'admin', 'manager'],
  'rotation.assign': ['owner', 'admin', 'manager'],
  'user.list': ['owner', 'admin', 'manager'],
  'user.update': ['owner', 'admin'],
  'audit.read': ['owner', 'admin'],
  'equipment.write': ['owner', 'admin', 'manager', 'engineer'],
  'reading.record': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'analytics.read': ['owner', 'admin', 'manager', 'engineer'],
  'analytics.costs': ['owner', 'admin', 'manager'],
  'price.supplier.read': ['owner', 'admin', 'manager'],
  'fault.report': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'fault.comment': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'fault.manage': ['owner', 'admin', 'manager', 'engineer'],
  'parts.read': ['owner', 'admin', 'manager', 'engineer', 'crew', 'viewer'],
  'parts.request': ['owner', 'admin', 'manager', 'engineer'],
  'parts.manage': ['owner', 'admin', 'manager'],
  'handover.prepare': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'handover.acknowledge': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'attachment.upload': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'stock.read': ['owner', 'admin', 'manager', 'engineer', 'crew', 'viewer'],
  'stock.move': ['owner', 'admin', 'manager', 'engineer'],
  'catalogue.write': ['owner', 'admin', 'manager'],
  'workorder.read': ['owner', 'admin', 'manager', 'engineer', 'crew', 'viewer'],
  'workorder.create': ['owner', 'admin', 'manager', 'engineer'],
  'workorder.execute': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'workorder.verify': ['owner', 'admin', 'manager', 'engineer'],
  'workorder.manage': ['owner', 'admin', 'manager', 'engineer'],
  'plan.write': ['owner', 'admin', 'manager', 'engineer'],
  'plan.postpone': ['owner', 'admin', 'manager'],
  'procedure.write': ['owner', 'admin', 'manager', 'engineer'],
  'assignment.manage': ['owner', 'admin', 'manager'],
  'assignment.answer': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'daily_report.submit': ['owner', 'admin', 'manager', 'engineer', 'crew'],
  'daily_report.validate': ['owner', 'admin', 'manager', 'engineer'],
} as const satisfies Record<string, readonly Role[]>;

/** An action the app asks about. */
export type Action = keyof typeof ACTIONS;

/** Whether a person of `role` may take `action` (vessel scope aside: the replica holds only
 * the rows the person reaches). */
export function may(role: Role, action: Action): boolean {
  return (ACTIONS[action] as readonly Role[]).includes(role);
}
