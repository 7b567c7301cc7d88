/**
 * The company's people: name, email, role and trade, most powerful roles first.
 */
import type { MemberView } from '../../../api/types';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLES, roleLabel, specialisationLabel } from '../../../components/role-label';
import { useResource } from '../../../components/use-resource';
import { listMembers } from '../api/people';

/** Role rank first, then name. */
function byRoleThenName(a: MemberView, b: MemberView): number {
  return ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name);
}

/** The list; a new `version` loads it again. */
export function MembersList({ version }: { version: number }) {
  const { state, reload } = useResource(`members-${version}`, (signal) => listMembers(signal), 'Could not load the people');
  if (state.status === 'loading') {
    return (
      <p className="notice" role="status">
        Loading people…
      </p>
    );
  }
  if (state.status === 'failed') return <ProblemAlert error={state.error} onRetry={reload} />;
  const members = [...state.value].sort(byRoleThenName);
  return (
    <>
      <p className="section-count">{members.length === 1 ? '1 person' : `${members.length} people`}</p>
      <ul className="row-list" aria-label="People">
        {members.map((member) => (
          <li key={member.id} className="row" aria-label={member.name}>
            <div className="row__text">
              <p className="row__title">
                {member.name}
                {member.active ? null : <span className="badge badge--decommissioned">Disabled</span>}
              </p>
              <p className="row__details">
                {member.email} · {roleLabel(member.role)}
                {member.specialisation ? ` · ${specialisationLabel(member.specialisation)}` : ''}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
