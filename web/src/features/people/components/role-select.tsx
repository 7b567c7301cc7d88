/**
 * The role picker of the people screens (invite, change a person, make an API key): one select
 * of the roles offered, each by its label.
 */
import type { Role } from '../../../api/types';
import { ROLE_LABEL } from '../../../components/role-label';

export function RoleSelect<R extends Role>({
  id,
  value,
  roles,
  onChange,
  describedBy,
}: {
  id: string;
  value: R;
  /** The roles offered, in order. */
  roles: readonly R[];
  onChange: (role: R) => void;
  /** The id of the hint that says what the chosen role may do. */
  describedBy?: string;
}) {
  return (
    <select
      id={id}
      name="role"
      value={value}
      aria-describedby={describedBy}
      onChange={(e) => {
        onChange(e.target.value as R);
      }}
    >
      {roles.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABEL[r]}
        </option>
      ))}
    </select>
  );
}
