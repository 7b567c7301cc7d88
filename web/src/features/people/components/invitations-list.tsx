/**
 * Open invitations: pending ones and those that expired unaccepted, each withdrawable by those
 * who may invite (an owner's invitation by owners only).
 */
import { useState } from 'react';
import type { InvitationView, Role } from '../../../api/types';
import { formatDate, isPast } from '../../../components/date-time';
import { ProblemAlert } from '../../../components/problem-alert';
import { roleLabel } from '../../../components/role-label';
import { useAction } from '../../../components/use-action';
import { useResource } from '../../../components/use-resource';
import { ADMINISTERING_ROLES, listInvitations, withdrawInvitation } from '../api/people';

/** The list; a new `version` loads it again (after an invitation was made). */
export function InvitationsList({ viewerRole, version }: { viewerRole: Role; version: number }) {
  const [withdrawn, setWithdrawn] = useState(0);
  const { state, reload } = useResource(
    `invitations-${version}-${withdrawn}`,
    (signal) => listInvitations(signal),
    'Could not load the invitations',
  );
  const { run, pending, error } = useAction(withdrawInvitation, 'Could not withdraw the invitation');
  const [withdrawing, setWithdrawing] = useState<string | null>(null);

  const mayWithdraw = (invitation: InvitationView) =>
    ADMINISTERING_ROLES.includes(viewerRole) && (invitation.role !== 'owner' || viewerRole === 'owner');

  async function withdraw(invitation: InvitationView) {
    setWithdrawing(invitation.id);
    const outcome = await run(invitation.id);
    setWithdrawing(null);
    // Accepted or withdrawn meanwhile: the list is out of date either way.
    if (outcome.ok || outcome.error.code === 'invitation_invalid') setWithdrawn((n) => n + 1);
  }

  if (state.status === 'loading') {
    return (
      <p className="notice" role="status">
        Loading invitations…
      </p>
    );
  }
  if (state.status === 'failed') return <ProblemAlert error={state.error} onRetry={reload} />;
  if (state.value.length === 0) return <p className="notice">No open invitations.</p>;
  return (
    <>
      {error && error.code !== 'invitation_invalid' ? <ProblemAlert error={error} /> : null}
      <ul className="row-list" aria-label="Open invitations">
        {state.value.map((invitation) => {
          const expired = invitation.status === 'expired' || isPast(invitation.expires_at);
          return (
            <li key={invitation.id} className="row" aria-label={invitation.name}>
              <div className="row__text">
                <p className="row__title">
                  {invitation.name}
                  {expired ? <span className="badge badge--degraded">Expired</span> : null}
                </p>
                <p className="row__details">
                  {invitation.email} · {roleLabel(invitation.role)}
                  {expired ? '' : ` · until ${formatDate(invitation.expires_at)}`}
                </p>
              </div>
              {mayWithdraw(invitation) ? (
                <button className="button" type="button" disabled={pending} onClick={() => void withdraw(invitation)}>
                  {withdrawing === invitation.id ? 'Withdrawing…' : 'Withdraw'}
                  <span className="visually-hidden"> the invitation of {invitation.name}</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
