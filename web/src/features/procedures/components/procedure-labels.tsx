/**
 * Words for procedures: the writes still on this device with how far they got, and what the
 * procedure refusals mean (the server's own sentence is shown beside it).
 */
import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites, Refusal as SharedRefusal } from '../../../components/pending-writes';
import { CREATE_PROCEDURE, UPDATE_PROCEDURE } from '../../../components/procedures';

const REFUSAL: Record<string, string> = {
  id_taken: 'Another procedure was already made with this id; make it again.',
  version_conflict: 'Someone changed the procedure meanwhile; open it again and redo the change.',
  validation_failed: 'The server did not take the procedure as written.',
};

/** What a waiting write does, in words. */
export function describeProcedureWrite(write: PendingWrite): string {
  switch (write.name) {
    case CREATE_PROCEDURE:
      return 'New procedure';
    case UPDATE_PROCEDURE:
      return 'Edited';
    default:
      return write.name;
  }
}

/** A refused write's reason, with what it means, and its Dismiss button. */
export function Refusal({ write }: { write: PendingWrite }) {
  return <SharedRefusal write={write} meanings={REFUSAL} />;
}

/** Procedure writes not yet accepted, as a short list, refusals with their reason. */
export function PendingWrites({ writes, label }: { writes: readonly PendingWrite[]; label?: string }) {
  return <SharedPendingWrites writes={writes} describe={describeProcedureWrite} meanings={REFUSAL} label={label} />;
}
