/**
 * A vessel's departments ("engine", "deck"…) and adding one; `409 department_exists` is said
 * on the name.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { ApiError } from '../../../api/client';
import { TextField } from '../../../components/form-field';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { setServerFieldErrors } from '../../../components/server-field-errors';
import { useAction } from '../../../components/use-action';
import { useSignedInUser } from '../../../session/session-context';
import { addDepartment, FLEET_KEYS, type VesselDetail } from '../api/fleet';

// eslint-disable-next-line no-control-regex -- the rule is exactly "no control characters"
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const departmentSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the department’s name')
    .max(60, 'At most 60 characters')
    .refine((v) => !CONTROL.test(v), 'No control characters'),
});

/** The section. */
export function DepartmentsSection({ vessel }: { vessel: VesselDetail }) {
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const { run, pending } = useAction(addDepartment, 'Could not add the department');
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors },
  } = useForm<z.infer<typeof departmentSchema>>({ resolver: zodResolver(departmentSchema), defaultValues: { name: '' } });

  const submit = handleSubmit(async ({ name }) => {
    setProblem(null);
    const outcome = await run(vessel.id, name);
    if (outcome.ok) {
      queryClient.setQueryData(FLEET_KEYS.vessel(vessel.id), {
        ...vessel,
        departments: [...vessel.departments, outcome.value],
      });
      reset();
    } else if (outcome.error.code === 'department_exists') {
      setError('name', { type: 'server', message: `${vessel.name} already has a department of that name` });
    } else {
      setProblem(setServerFieldErrors(outcome.error, setError, { name: 'name' }));
    }
  });

  return (
    <section className="card" aria-labelledby="departments-title">
      <h2 id="departments-title" className="card__title">
        Departments
      </h2>
      {vessel.departments.length === 0 ? (
        <p className="notice">No departments yet.</p>
      ) : (
        <ul className="chip-list" aria-label="Departments">
          {vessel.departments.map((department) => (
            <li key={department.id}>{department.name}</li>
          ))}
        </ul>
      )}
      {may(user.role, 'department.create') ? (
        <form aria-label="Add a department" noValidate onSubmit={(e) => void submit(e)}>
          <TextField
            label="New department"
            hint="E.g. engine, deck, galley."
            error={errors.name?.message}
            registration={register('name')}
            autoComplete="off"
          />
          {problem ? <ProblemAlert error={problem} /> : null}
          <button className="button" type="submit" disabled={pending}>
            Add department
          </button>
        </form>
      ) : null}
    </section>
  );
}
