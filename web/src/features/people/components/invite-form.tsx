/**
 * Inviting a person: email, name, role and trade. The answer's link is shown once, with a
 * copy button, saying whether it was also e-mailed (for people without e-mail on board, the
 * link is handed over another way).
 */
import { useId, useState, type SubmitEvent } from 'react';
import type { InvitedView, Role, Specialisation } from '../../../api/types';
import { CopyField } from '../../../components/copy-field';
import { formatDate } from '../../../components/date-time';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLES, ROLE_LABEL, ROLE_SUMMARY, SPECIALISATION_LABEL } from '../../../components/role-label';
import { useAction } from '../../../components/use-action';
import { invite } from '../api/people';
import { RoleSelect } from './role-select';

const SPECIALISATIONS = Object.keys(SPECIALISATION_LABEL) as Specialisation[];

/** The form; `inviterRole` decides whether owners can be invited (owners only). */
export function InviteForm({ inviterRole, onInvited }: { inviterRole: Role; onInvited: () => void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('engineer');
  const [specialisation, setSpecialisation] = useState<Specialisation | ''>('');
  const [invited, setInvited] = useState<InvitedView | null>(null);
  const { run, pending, error } = useAction(invite, 'Could not invite');
  const roles = ROLES.filter((r) => r !== 'owner' || inviterRole === 'owner');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const outcome = await run({
      email: email.trim(),
      name: name.trim(),
      role,
      specialisation: specialisation === '' ? null : specialisation,
    });
    if (outcome.ok) {
      setInvited(outcome.value);
      onInvited();
    }
  }

  if (invited) {
    const { invitation } = invited;
    return (
      <div className="invited" role="group" aria-labelledby={`${id}-invited`}>
        <h3 id={`${id}-invited`} className="invited__title">
          {invitation.name} is invited as {ROLE_LABEL[invitation.role]}
        </h3>
        <p role="status">
          {invited.emailed
            ? `We e-mailed the link to ${invitation.email}. You can also hand it over yourself.`
            : `The link was not e-mailed (this Bosun server sends no e-mail). Hand it over to ${invitation.name} yourself, on paper or by message.`}
        </p>
        <CopyField
          label="Invitation link"
          value={invited.accept_url}
          hint={`Shown only now. Whoever has the link can accept it until ${formatDate(invitation.expires_at)}; withdraw the invitation if it goes astray.`}
        />
        <button
          className="button"
          type="button"
          onClick={() => {
            setInvited(null);
            setEmail('');
            setName('');
            setSpecialisation('');
          }}
        >
          Invite someone else
        </button>
      </div>
    );
  }

  const alreadyMember = error?.code === 'already_member';
  return (
    <form aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`} className="visually-hidden">
        Invite someone
      </h3>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="off"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          name="name"
          type="text"
          autoComplete="off"
          required
          maxLength={120}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <RoleSelect id={`${id}-role`} value={role} roles={roles} onChange={setRole} describedBy={`${id}-role-hint`} />
        <p id={`${id}-role-hint`} className="field__hint">
          {ROLE_LABEL[role]}: {ROLE_SUMMARY[role]}.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-trade`}>Trade (optional)</label>
        <select
          id={`${id}-trade`}
          name="specialisation"
          value={specialisation}
          onChange={(e) => {
            setSpecialisation(e.target.value as Specialisation | '');
          }}
        >
          <option value="">None</option>
          {SPECIALISATIONS.map((s) => (
            <option key={s} value={s}>
              {SPECIALISATION_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {alreadyMember ? (
        <p className="alert" role="alert">
          {email.trim()} is already in the company.
        </p>
      ) : null}
      {error && !alreadyMember ? (
        <ProblemAlert error={error} fieldLabels={{ email: 'Email', name: 'Name', role: 'Role', specialisation: 'Trade' }} />
      ) : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Inviting…' : 'Invite'}
      </button>
    </form>
  );
}
