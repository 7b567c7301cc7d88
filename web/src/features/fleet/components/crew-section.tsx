/**
 * Who is on board: putting a person on the vessel's rotation (with a department and dates) and
 * taking a person off the vessel. The server has no list of a vessel's crew outside sync, so
 * the section lists the rotations recorded here, each with a way to take the person off again.
 */
import { zodResolver } from '@hookform/resolvers/zod';
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
import { assignRotation, removeMember, useFleetPeople, type Rotation, type VesselDetail } from '../api/fleet';

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
  const people = useFleetPeople();
  const [recorded, setRecorded] = useState<Rotation[]>([]);
  const [removed, setRemoved] = useState<string | null>(null);
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
  const nameOf = (userId: string) => people.data?.find((person) => person.id === userId)?.name ?? userId;
  const departmentOf = (id: string | null | undefined) => vessel.departments.find((d) => d.id === id)?.name;

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    setRemoved(null);
    const outcome = await assign.run(vessel.id, values);
    if (outcome.ok) {
      setRecorded((list) => [outcome.value, ...list.filter((r) => r.user_id !== outcome.value.user_id)]);
      reset();
    } else {
      setProblem(setServerFieldErrors(outcome.error, setError, SERVER_FIELDS));
    }
  });

  async function takeOff(userId: string) {
    setRemoved(null);
    const outcome = await remove.run(vessel.id, userId);
    if (outcome.ok) {
      setRecorded((list) => list.filter((r) => r.user_id !== userId));
      setRemoved(`${nameOf(userId)} is off ${vessel.name}.`);
    }
  }

  return (
    <section className="card" aria-labelledby="crew-title">
      <h2 id="crew-title" className="card__title">
        Crew and rotations
      </h2>
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

      {recorded.length > 0 ? (
        <ul className="row-list" aria-label="Rotations recorded here">
          {recorded.map((rotation) => (
            <li key={rotation.user_id} className="row" aria-label={nameOf(rotation.user_id)}>
              <div className="row__text">
                <p className="row__title">{nameOf(rotation.user_id)}</p>
                <p className="row__details">
                  {departmentOf(rotation.department_id) ?? 'No department'} · from {formatDate(rotation.rotation_start)}
                  {rotation.rotation_end ? ` to ${formatDate(rotation.rotation_end)}` : ''}
                </p>
              </div>
              <button
                className="button"
                type="button"
                disabled={remove.pending}
                onClick={() => void takeOff(rotation.user_id)}
              >
                Take {nameOf(rotation.user_id)} off
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <TakeOffForm
        people={active.map((person) => ({ id: person.id, name: person.name }))}
        pending={remove.pending}
        onTakeOff={(userId) => void takeOff(userId)}
      />
      {remove.error?.code === 'not_found' ? (
        <p className="alert" role="alert">
          That person is not on {vessel.name}.
        </p>
      ) : remove.error ? (
        <ProblemAlert error={remove.error} />
      ) : null}
      {removed ? (
        <p className="notice notice--success" role="status">
          {removed}
        </p>
      ) : null}
    </section>
  );
}

function TakeOffForm({
  people,
  pending,
  onTakeOff,
}: {
  people: { id: string; name: string }[];
  pending: boolean;
  onTakeOff: (userId: string) => void;
}) {
  const [userId, setUserId] = useState('');
  return (
    <form
      aria-label="Take someone off the vessel"
      className="fleet__take-off"
      onSubmit={(e) => {
        e.preventDefault();
        if (userId !== '') onTakeOff(userId);
      }}
    >
      <FieldFrame label="Take off the vessel" hint="Their access to the vessel ends now.">
        {(ids) => (
          <select {...ids} value={userId} onChange={(e) => { setUserId(e.target.value); }}>
            <option value="">Choose…</option>
            {people.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <button className="button" type="submit" disabled={pending || userId === ''}>
        Take off
      </button>
    </form>
  );
}
