/**
 * Who does the work (a work order's, a maintenance plan's): the people on the item's vessel and
 * its departments, as checkboxes whose values are `assigneeValue`s in the form's `assignees`.
 */
import './checklist-builder.css';
import type { UseFormRegister } from 'react-hook-form';

import { useSignedInUser } from '../session/session-context';
import { assigneeValue } from './checklist-steps';
import { usePeopleNames, useVesselCrew, useVesselDepartments } from './vessel-people';

/** A form holding assignees. */
export interface AssigneesForm {
  assignees: string[];
}

/** The picker, over the `assignees` of a form of fields `T`. */
export function AssigneePicker<T extends AssigneesForm>(props: { vesselId: string | null; register: UseFormRegister<T>; error: string | undefined }) {
  const { vesselId, error } = props;
  // Only `assignees` is registered, which every `T` has with this type.
  const register = props.register as unknown as UseFormRegister<AssigneesForm>;
  const user = useSignedInUser();
  const crew = useVesselCrew(vesselId);
  const departments = useVesselDepartments(vesselId);
  const people = usePeopleNames();
  const me = user.id.toLowerCase();
  const name = (id: string) => (id === me ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate'));
  return (
    <fieldset className="wo-assignees">
      <legend>Who does it (optional)</legend>
      {vesselId === null ? (
        <p className="field__hint">Choose the item first: the people and departments are its vessel’s.</p>
      ) : crew.length === 0 && departments.length === 0 ? (
        <p className="field__hint">Nobody is on this vessel’s rotation on this device, and it has no departments yet.</p>
      ) : (
        <>
          {departments.map((d) => (
            <label key={d.id} className="checkbox">
              <input type="checkbox" value={assigneeValue('department', d.id)} {...register('assignees')} /> {d.name} department
            </label>
          ))}
          {crew.map((id) => (
            <label key={id} className="checkbox">
              <input type="checkbox" value={assigneeValue('person', id)} {...register('assignees')} /> {name(id)}
            </label>
          ))}
        </>
      )}
      {error ? <p className="field__error">{error}</p> : null}
    </fieldset>
  );
}
