/**
 * Where the person is signed in: one row per session, this device marked, the others with a
 * button that signs them out.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { SessionView } from '../../../api/types';
import { formatDateTime } from '../../../components/date-time';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { endSession, SESSIONS_KEY, useSessions } from '../api/account';
import { deviceName } from './device-name';

/** The section. */
export function SessionsSection() {
  const id = useId();
  const queryClient = useQueryClient();
  const sessions = useSessions();
  const { run, pending, error } = useAction(endSession, 'Could not sign that device out');
  const [ending, setEnding] = useState<string | null>(null);

  async function signOut(session: SessionView) {
    setEnding(session.id);
    const outcome = await run(session.id);
    setEnding(null);
    // Gone already (ended elsewhere, or expired) is what was asked for.
    if (outcome.ok || outcome.error.status === 404) void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
  }

  return (
    <section className="card account__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Where you are signed in
      </h2>
      {sessions.isPending ? (
        <p className="notice" role="status">
          Loading sessions…
        </p>
      ) : null}
      {sessions.isError ? <ProblemAlert error={sessions.error} onRetry={() => void sessions.refetch()} /> : null}
      {error && error.status !== 404 ? <ProblemAlert error={error} /> : null}
      {sessions.isSuccess ? (
        <ul className="session-list" aria-label="Sessions">
          {sessions.data.map((session) => {
            const device = deviceName(session.user_agent);
            const address = session.last_ip ?? session.ip;
            return (
              <li key={session.id} className="session" aria-label={session.current ? `${device} (this device)` : device}>
                <div className="session__text">
                  <p className="session__device">
                    {device}
                    {session.current ? <span className="badge session__current">This device</span> : null}
                  </p>
                  <p className="session__details">
                    Last active {formatDateTime(session.last_used_at)}
                    {address ? ` · ${address}` : ''}
                  </p>
                  <p className="session__details">
                    Signed in {formatDateTime(session.created_at)}
                    {session.mfa ? ' with a second factor' : ''}
                  </p>
                </div>
                {session.current ? null : (
                  <button
                    className="button"
                    type="button"
                    disabled={pending}
                    onClick={() => void signOut(session)}
                  >
                    {ending === session.id ? 'Signing out…' : 'Sign out'}
                    <span className="visually-hidden"> {device}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
