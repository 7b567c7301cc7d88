/**
 * A vessel's name, kind, type and IMO number, for registering one or editing it. Checked as the
 * server checks them; the server's 422 lands on the same fields, `409 imo_taken` on the IMO.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { ApiError } from '../../../api/client';
import type { VesselView } from '../../../api/types';
import { FieldFrame, TextField } from '../../../components/form-field';
import { ProblemAlert } from '../../../components/problem-alert';
import { setServerFieldErrors } from '../../../components/server-field-errors';
import type { VesselFields } from '../api/fleet';
import { VESSEL_SERVER_FIELDS, vesselSchema, type VesselValues } from './vessel-schema';

const KINDS = [
  ['vessel', 'Ship'],
  ['site', 'Site'],
  ['project', 'Project'],
] as const;

/** The form; `onSave` sends it and says how it went. */
export function VesselForm({
  label,
  vessel,
  submitLabel,
  onSave,
}: {
  label: string;
  vessel?: VesselView;
  submitLabel: string;
  onSave: (fields: VesselFields) => Promise<{ ok: true } | { ok: false; error: ApiError }>;
}) {
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    control,
    formState: { errors },
  } = useForm<VesselValues>({
    resolver: zodResolver(vesselSchema),
    defaultValues: {
      name: vessel?.name ?? '',
      kind: vessel?.kind ?? 'vessel',
      vesselType: vessel?.vessel_type ?? '',
      imo: vessel?.imo ?? '',
    },
  });
  const kind = useWatch({ control, name: 'kind' });

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    setPending(true);
    const outcome = await onSave(values);
    setPending(false);
    if (outcome.ok) {
      if (!vessel) reset();
      return;
    }
    if (outcome.error.code === 'imo_taken') {
      setError('imo', { type: 'server', message: 'Another vessel of the company has this IMO number' });
      return;
    }
    setProblem(setServerFieldErrors(outcome.error, setError, VESSEL_SERVER_FIELDS));
  });

  return (
    <form aria-label={label} noValidate onSubmit={(e) => void submit(e)}>
      <TextField label="Name" error={errors.name?.message} registration={register('name')} autoComplete="off" />
      <FieldFrame label="Kind" error={errors.kind?.message}>
        {(ids) => (
          <select {...ids} {...register('kind')}>
            {KINDS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <TextField
        label="Type"
        hint="E.g. platform supply vessel; may be left empty."
        error={errors.vesselType?.message}
        registration={register('vesselType')}
        autoComplete="off"
      />
      {kind === 'vessel' ? (
        <TextField
          label="IMO number"
          hint="Seven digits, e.g. 9074729; may be left empty."
          error={errors.imo?.message}
          registration={register('imo')}
          inputMode="numeric"
          autoComplete="off"
        />
      ) : null}
      {problem ? <ProblemAlert error={problem} /> : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
