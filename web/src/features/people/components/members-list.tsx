/**
 * The company's people: name, email, role and trade, most powerful roles first.
 */
import type { MemberView } from '../../../api/types';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLES, roleLabel, specialisationLabel } from '../../../components/role-label';
import { useMembers } from '../api/people';

/** Role rank first, then name. */
function byRoleThenName(a: MemberView, b: MemberView): number {
  return ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name);
}

/** The list. */
export function MembersList() {
  const query = useMembers();
  if (query.isPending) {
    return (
      <p className="notice" role="status">
        Loading people…
      </p>
    );
  }
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  const members = [...query.data].sort(byRoleThenName);
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
