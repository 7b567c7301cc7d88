/**
 * The company's people: name, email, role and trade, most powerful roles first. Owners and
 * admins also change a person's role or disable them.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MemberView, Role } from '../../../api/types';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLES, roleLabel, specialisationLabel } from '../../../components/role-label';
import { PEOPLE_KEYS, useMembers } from '../api/people';
import { MemberEditor, mayEdit } from './member-editor';

/** Role rank first, then name. */
function byRoleThenName(a: MemberView, b: MemberView): number {
  return ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name);
}

/** The list; `editorRole` set when the viewer may change people (owners, admins). */
export function MembersList({ editorRole }: { editorRole?: Role } = {}) {
  const query = useMembers();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
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
          <li key={member.id} className="row row--stacked" aria-label={member.name}>
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
            {editorRole && mayEdit(editorRole, member) ? (
              editing === member.id ? (
                <MemberEditor
                  member={member}
                  editorRole={editorRole}
                  onCancel={() => {
                    setEditing(null);
                  }}
                  onSaved={(saved) => {
                    queryClient.setQueryData<MemberView[]>(PEOPLE_KEYS.members, (list) =>
                      list?.map((m) => (m.id === saved.id ? saved : m)),
                    );
                    setEditing(null);
                  }}
                />
              ) : (
                <button
                  className="button"
                  type="button"
                  onClick={() => {
                    setEditing(member.id);
                  }}
                >
                  Change {member.name}
                </button>
              )
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
