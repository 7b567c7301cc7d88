/**
 * The mark a write still on this device carries beside what it changed: "on this device",
 * "sent", or the server's refusal (its sentence on hover).
 */
import './maintenance.css';

import type { PendingWrite } from './local-writes';

/** "on this device", "sent" or the refusal, for one write. */
export function PendingMark({ write }: { write: PendingWrite }) {
  return (
    <span className={`pending pending--${write.state}`} title={write.detail}>
      {write.label}
    </span>
  );
}
