/**
 * Who is on board: the vessel's crew as the server lists it (each person with their role,
 * department and rotation dates, and a way to take them off the vessel), and putting a person on
 * the rotation (with a department and dates; someone already on board gets their rotation
 * replaced).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { ApiError } from '../../../api/client';
import { formatDate } from '../../../components/date-time';
import { FieldFrame } from '../../../components/form-field';
import { ProblemAlert } from '../../../components/problem-alert';
import { roleLabel } from '../../../components/role-label';
import { setServerFieldErrors } from '../../../components/server-field-errors';
import { useAction } from '../../../components/use-action';
import { assignRotation, FLEET_KEYS, removeMember, useFleetPeople, useVesselCrew, type VesselDetail } from '../api/fleet';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const rotationSchema = z
  .object({
    userId: z.string().min(1, 'Choose the person'),
    departmentId: z.string(),
    start: z.string().regex(DATE, 'Enter the first day'),
    end: z.string().refine((v) => v === '' || DATE.test(v), 'A date, or empty'),
  })
  .refine((v) => v.end === '' || v.end >= v.start, { path: ['end'], message: 'Must not be before the first day' });

type RotationValues = z.infer<typeof rotationSchema>;

const SERVER_FIELDS = {
  user_id: 'userId',
  department_id: 'departmentId',
  rotation_start: 'start',
  rotation_end: 'end',
} as const;

/** The section. */
export function CrewSection({ vessel }: { vessel: VesselDetail }) {
  const queryClient = useQueryClient();
  const people = useFleetPeople();
  const crew = useVesselCrew(vessel.id);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const assign = useAction(assignRotation, 'Could not put the person on the rotation');
  const remove = useAction(removeMember, 'Could not take the person off the vessel');
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors },
  } = useForm<RotationValues>({
    resolver: zodResolver(rotationSchema),
    defaultValues: { userId: '', departmentId: '', start: '', end: '' },
  });
  const active = (people.data ?? []).filter((person) => person.active);
  const onBoard = crew.data ?? [];
  const nameOf = (userId: string) =>
    onBoard.find((c) => c.person.id === userId)?.person.name ??
    people.data?.find((person) => person.id === userId)?.name ??
    userId;
  const departmentOf = (id: string | null | undefined) => vessel.departments.find((d) => d.id === id)?.name;
  const refreshCrew = () => queryClient.invalidateQueries({ queryKey: FLEET_KEYS.crew(vessel.id) });

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    setNotice(null);
    const outcome = await assign.run(vessel.id, values);
    if (outcome.ok) {
      setNotice(`${nameOf(outcome.value.user_id)} is on the rotation of ${vessel.name}.`);
      reset();
      await refreshCrew();
    } else {
      setProblem(setServerFieldErrors(outcome.error, setError, SERVER_FIELDS));
    }
  });

  async function takeOff(userId: string) {
    setNotice(null);
    const name = nameOf(userId);
    const outcome = await remove.run(vessel.id, userId);
    if (outcome.ok || outcome.error.code === 'not_found') {
      // Gone either way: taken off now, or by someone else meanwhile.
      setNotice(`${name} is off ${vessel.name}.`);
      await refreshCrew();
    }
  }

  return (
    <section className="card" aria-labelledby="crew-title">
      <h2 id="crew-title" className="card__title">
        Crew and rotations
      </h2>
      {crew.isError ? <ProblemAlert error={crew.error} onRetry={() => void crew.refetch()} /> : null}
      {crew.isPending ? <p role="status">Loading the crew…</p> : null}
      {crew.isSuccess && onBoard.length === 0 ? <p>Nobody is on {vessel.name}’s rotation.</p> : null}
      {onBoard.length > 0 ? (
        <ul className="row-list" aria-label={`On board ${vessel.name}`}>
          {onBoard.map((member) => (
            <li key={member.person.id} className="row" aria-label={member.person.name}>
              <div className="row__text">
                <p className="row__title">
                  {member.person.name} ({roleLabel(member.person.role)})
                </p>
                <p className="row__details">
                  {departmentOf(member.department_id) ?? 'No department'} · from {formatDate(member.rotation_start)}
                  {member.rotation_end ? ` to ${formatDate(member.rotation_end)}` : ''}
                  {member.person.active ? '' : ' · disabled'}
                </p>
              </div>
              <button
                className="button"
                type="button"
                disabled={remove.pending}
                onClick={() => void takeOff(member.person.id)}
              >
                Take {member.person.name} off
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {remove.error && remove.error.code !== 'not_found' ? <ProblemAlert error={remove.error} /> : null}
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}

      {people.isError ? <ProblemAlert error={people.error} onRetry={() => void people.refetch()} /> : null}
      <form aria-label="Put someone on the rotation" noValidate onSubmit={(e) => void submit(e)}>
        <FieldFrame label="Person" error={errors.userId?.message}>
          {(ids) => (
            <select {...ids} {...register('userId')}>
              <option value="">Choose…</option>
              {active.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name} ({roleLabel(person.role)})
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <FieldFrame label="Department" error={errors.departmentId?.message}>
          {(ids) => (
            <select {...ids} {...register('departmentId')}>
              <option value="">None</option>
              {vessel.departments.map((department) => (
                <option key={department.id} value={department.id}>
                  {department.name}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <div className="form-row">
          <FieldFrame label="First day" error={errors.start?.message}>
            {(ids) => <input type="date" {...ids} {...register('start')} />}
          </FieldFrame>
          <FieldFrame label="Last day" hint="If known." error={errors.end?.message}>
            {(ids) => <input type="date" {...ids} {...register('end')} />}
          </FieldFrame>
        </div>
        {problem ? <ProblemAlert error={problem} /> : null}
        <button className="button" type="submit" disabled={assign.pending}>
          Put on the rotation
        </button>
      </form>
    </section>
  );
}
