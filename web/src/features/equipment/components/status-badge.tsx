/**
 * An item's status as people see it, as a coloured badge.
 */
import type { EquipmentView } from '../../../api/types';
import { wordFor } from './equipment-labels';

/**
 * The effective status; "Down — critical fault open" when an open critical fault holds the item
 * down. `criticalFaultOpen` says so when the caller knows; otherwise it is inferred from an item
 * that is down although its recorded status is not.
 */
export function StatusBadge({
  item,
  criticalFaultOpen,
}: {
  item: Pick<EquipmentView, 'status' | 'effective_status'>;
  criticalFaultOpen?: boolean;
}) {
  const status = item.effective_status;
  const heldDown = status === 'down' && (criticalFaultOpen ?? item.status !== 'down');
  return (
    <span className={`badge badge--${status}`}>{heldDown ? 'Down — critical fault open' : wordFor(status)}</span>
  );
}
