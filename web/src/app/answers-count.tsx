/**
 * The navigation's count of assignments waiting for the person's answer, beside "Assignments":
 * read live from the replica and the outbox, so it appears as a proposal syncs in and goes as
 * the person answers (offline too). Loaded with the sync engine, after the page's first paint.
 */
import { useAnswersWaiting } from '../components/equipment-assignments';

/** The count, or nothing when none waits. */
export function AnswersCount({ userId }: { userId: string }) {
  const waiting = useAnswersWaiting(userId);
  const n = waiting?.length ?? 0;
  if (n === 0) return null;
  return (
    <span className="nav-count">
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">: {n === 1 ? '1 waiting' : `${n} waiting`} for your answer</span>
    </span>
  );
}
