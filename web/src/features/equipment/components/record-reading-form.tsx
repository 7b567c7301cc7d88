/**
 * "Record a reading" under an item's running hours: hours on the meter, when it was read, and
 * whether the meter was replaced. Checked against the readings the device knows with the
 * server's rules, then queued as `record_reading.v1` with a client-made UUIDv7 (the same reading
 * however often it is sent), so it works offline and shows at once, "on this device".
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import {
  localDateTimeValue,
  readingSchema,
  recordReadingArgs,
  RECORD_READING,
  type ReadingForm,
  type ShownReading,
} from '../api/readings';
import { formatHours } from './equipment-labels';

/** The form; `now` is the clock (tests fix it). */
export function RecordReadingForm({
  equipmentId,
  readings,
  now = () => new Date(),
}: {
  equipmentId: string;
  readings: readonly ShownReading[];
  now?: () => Date;
}) {
  const enqueue = useEnqueue();
  const [recorded, setRecorded] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Refused readings do not count: the server never took them.
  const known = readings.filter((r) => !Number.isNaN(r.total));
  const schema = useMemo(() => readingSchema(known, now), [known, now]);
  const form = useForm<ReadingForm, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { hours: '', read_at: localDateTimeValue(now()), meter_replaced: false },
  });
  const { register, handleSubmit, formState, reset } = form;
  const errors = formState.errors;
  const last = known.at(-1);

  const submit = handleSubmit(async (reading) => {
    setFailure(null);
    try {
      await enqueue(RECORD_READING, recordReadingArgs(equipmentId, newRowId(), reading), null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The reading could not be kept on this device.');
      return;
    }
    setRecorded(reading.hours);
    reset({ hours: '', read_at: localDateTimeValue(now()), meter_replaced: false });
  });

  return (
    <form className="record-reading" noValidate aria-label="Record a reading" onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Record a reading</h3>
      {recorded !== null ? (
        <p className="notice notice--success" role="status">
          {formatHours(recorded)} recorded. It is kept on this device and sent as soon as there is a connection.
        </p>
      ) : null}
      <FieldFrame
        label="Hours on the meter"
        hint={last ? `The last reading was ${formatHours(last.hours)}.` : undefined}
        error={errors.hours?.message}
      >
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('hours')} />}
      </FieldFrame>
      <FieldFrame label="Read at" error={errors.read_at?.message}>
        {(ids) => <input {...ids} type="datetime-local" {...register('read_at')} />}
      </FieldFrame>
      <label className="field field--check">
        <input type="checkbox" {...register('meter_replaced')} /> New meter (the old one was replaced; this is its first
        reading)
      </label>
      {failure ? <p role="alert">{failure}</p> : null}
      <div className="button-row">
        <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
          Record reading
        </button>
      </div>
    </form>
  );
}
