/**
 * Open invitations: pending ones and those that expired unaccepted, each withdrawable by those
 * who may invite (an owner's invitation by owners only).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { InvitationView, Role } from '../../../api/types';
import { formatDate, isPast } from '../../../components/date-time';
import { ProblemAlert } from '../../../components/problem-alert';
import { roleLabel } from '../../../components/role-label';
import { useAction } from '../../../components/use-action';
import { ADMINISTERING_ROLES, PEOPLE_KEYS, useInvitations, withdrawInvitation } from '../api/people';

/** The list. */
export function InvitationsList({ viewerRole }: { viewerRole: Role }) {
  const queryClient = useQueryClient();
  const query = useInvitations();
  const { run, pending, error } = useAction(withdrawInvitation, 'Could not withdraw the invitation');
  const [withdrawing, setWithdrawing] = useState<string | null>(null);

  const mayWithdraw = (invitation: InvitationView) =>
    ADMINISTERING_ROLES.includes(viewerRole) && (invitation.role !== 'owner' || viewerRole === 'owner');

  async function withdraw(invitation: InvitationView) {
    setWithdrawing(invitation.id);
    const outcome = await run(invitation.id);
    setWithdrawing(null);
    // Accepted or withdrawn meanwhile: the list is out of date either way.
    if (outcome.ok || outcome.error.code === 'invitation_invalid') {
      void queryClient.invalidateQueries({ queryKey: PEOPLE_KEYS.invitations });
    }
  }

  if (query.isPending) {
    return (
      <p className="notice" role="status">
        Loading invitations…
      </p>
    );
  }
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.length === 0) return <p className="notice">No open invitations.</p>;
  return (
    <>
      {error && error.code !== 'invitation_invalid' ? <ProblemAlert error={error} /> : null}
      <ul className="row-list" aria-label="Open invitations">
        {query.data.map((invitation) => {
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
