/**
 * Changing a person's role, or disabling them (their sessions end), for owners and admins. Only
 * an owner changes the owner role or an owner's account; the company's last owner stays.
 */
import { useId, useState, type SubmitEvent } from 'react';
import type { MemberView, Role } from '../../../api/types';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLES } from '../../../components/role-label';
import { useAction } from '../../../components/use-action';
import { updateMember, type MemberChange } from '../api/people';
import { RoleSelect } from './role-select';

/** Whether a person of `editorRole` may change `member` at all (owners only touch owners). */
export function mayEdit(editorRole: Role, member: MemberView): boolean {
  return editorRole === 'owner' || member.role !== 'owner';
}

/** The form, shown under the person's row; `onSaved` gets the person as the server now has them. */
export function MemberEditor({
  member,
  editorRole,
  onSaved,
  onCancel,
}: {
  member: MemberView;
  editorRole: Role;
  onSaved: (member: MemberView) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [role, setRole] = useState<Role>(member.role);
  const [active, setActive] = useState(member.active);
  const { run, pending, error } = useAction(updateMember, `Could not change ${member.name}`);
  const roles = ROLES.filter((r) => r !== 'owner' || editorRole === 'owner');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const change: MemberChange = {
      ...(role !== member.role ? { role } : {}),
      ...(active !== member.active ? { active } : {}),
    };
    if (Object.keys(change).length === 0) {
      onCancel();
      return;
    }
    const outcome = await run(member.id, change);
    if (outcome.ok) onSaved(outcome.value);
  }

  return (
    <form className="member-editor" aria-label={`Change ${member.name}`} onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <RoleSelect id={`${id}-role`} value={role} roles={roles} onChange={setRole} />
      </div>
      <div className="checkbox">
        <input
          id={`${id}-active`}
          type="checkbox"
          checked={active}
          aria-describedby={`${id}-active-hint`}
          onChange={(e) => {
            setActive(e.target.checked);
          }}
        />
        <label htmlFor={`${id}-active`}>May sign in</label>
      </div>
      <p id={`${id}-active-hint`} className="field__hint">
        Disabling someone ends their sessions at once; their records stay.
      </p>
      {error?.code === 'last_owner' ? (
        <p className="alert" role="alert">
          {member.name} is the company’s last owner: make someone else an owner first.
        </p>
      ) : error ? (
        <ProblemAlert error={error} fieldLabels={{ role: 'Role', active: 'May sign in' }} />
      ) : null}
      <div className="button-row">
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </button>
        <button className="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
