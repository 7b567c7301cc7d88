/**
 * Recording stock movements on a part's page, for roles with `stock.move`, checked with the
 * server's rules before anything is queued:
 *
 * - receiving: a location and a quantity above 0, queued as `receive_stock.v1`;
 * - adjusting: a location, a signed change other than 0 and a reason (1–500 characters), queued
 *   as `adjust_stock.v1`. A decrease below what the location holds is the server's to refuse
 *   (`insufficient_stock`: its count may be newer than this device's), so the form only warns.
 *
 * Quantities have at most 3 decimals and 1,000,000,000 units (`quantity.ts`); each movement has
 * a client-made UUIDv7, the id its ledger entry keeps.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch, type UseFormRegisterReturn } from 'react-hook-form';
import { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { parseQuantity, quantityText, ZERO, type Thousandths } from '../../../components/quantity';
import { ADJUST_STOCK, RECEIVE_STOCK, type StockLocation } from '../../../components/stock-levels';
import { withUnit } from './stock-labels';

const location = z.string().min(1, 'Choose the location.');

export const receiveSchema = z.object({
  location_id: location,
  quantity: quantityText('positive', 'Enter the quantity received.'),
});
type ReceiveForm = z.input<typeof receiveSchema>;
type Receive = z.output<typeof receiveSchema>;

export const adjustSchema = z.object({
  location_id: location,
  delta: quantityText('nonzero', 'Enter the change: + adds, - takes away, e.g. -2.'),
  reason: z.string().trim().min(1, 'Say why the count changes.').max(500, 'Keep the reason to 500 characters.'),
});
type AdjustForm = z.input<typeof adjustSchema>;
type Adjust = z.output<typeof adjustSchema>;

/** The location chosen first: the only one there is. */
const firstChoice = (locations: readonly StockLocation[]) => (locations.length === 1 ? (locations[0]?.id ?? '') : '');

function LocationSelect({
  locations,
  error,
  registration,
}: {
  locations: readonly StockLocation[];
  error: string | undefined;
  registration: UseFormRegisterReturn;
}) {
  return (
    <FieldFrame label="Location" error={error}>
      {(ids) => (
        <select {...ids} {...registration}>
          <option value="">Choose a location</option>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.path}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

const keptOffline = 'It is kept on this device and sent as soon as there is a connection.';

/** Receiving parts into a location. */
export function ReceiveForm({
  partId,
  unit,
  locations,
}: {
  partId: string;
  unit: string;
  locations: readonly StockLocation[];
}) {
  const enqueue = useEnqueue();
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<ReceiveForm, unknown, Receive>({
    resolver: zodResolver(receiveSchema),
    defaultValues: { location_id: firstChoice(locations), quantity: '' },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async ({ location_id, quantity }) => {
    setFailure(null);
    setDone(null);
    try {
      await enqueue(RECEIVE_STOCK, { id: newRowId(), location_id, part_id: partId, quantity }, null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The receipt could not be kept on this device.');
      return;
    }
    const where = locations.find((l) => l.id === location_id)?.path ?? 'the location';
    setDone(`${withUnit(parseQuantity(quantity) ?? ZERO, unit)} received into ${where}. ${keptOffline}`);
    reset({ location_id, quantity: '' });
  });
  return (
    <form className="stock-form" aria-label="Receive" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Receive</h3>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      <LocationSelect locations={locations} error={errors.location_id?.message} registration={register('location_id')} />
      <FieldFrame label={`Quantity received (${unit})`} hint="Up to 3 decimals, e.g. 12.5." error={errors.quantity?.message}>
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('quantity')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Record receipt
      </button>
    </form>
  );
}

/** Correcting what a location holds, with the reason. */
export function AdjustForm({
  partId,
  unit,
  locations,
  onHand,
}: {
  partId: string;
  unit: string;
  locations: readonly StockLocation[];
  /** What the device counts at each location. */
  onHand: ReadonlyMap<string, Thousandths>;
}) {
  const enqueue = useEnqueue();
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset, control } = useForm<AdjustForm, unknown, Adjust>({
    resolver: zodResolver(adjustSchema),
    defaultValues: { location_id: firstChoice(locations), delta: '', reason: '' },
  });
  const [chosen, typed] = useWatch({ control, name: ['location_id', 'delta'] });
  const errors = formState.errors;
  const here = chosen === '' ? null : (onHand.get(chosen) ?? ZERO);
  const change = parseQuantity(typed.replace(/\s/g, ''));
  const belowZero = here !== null && change !== null && here + change < ZERO;

  const submit = handleSubmit(async ({ location_id, delta, reason }) => {
    setFailure(null);
    setDone(null);
    try {
      await enqueue(ADJUST_STOCK, { id: newRowId(), location_id, part_id: partId, delta, reason }, null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The adjustment could not be kept on this device.');
      return;
    }
    const where = locations.find((l) => l.id === location_id)?.path ?? 'the location';
    setDone(`Adjustment of ${withUnit(parseQuantity(delta) ?? ZERO, unit)} at ${where} recorded. ${keptOffline}`);
    reset({ location_id, delta: '', reason: '' });
  });
  return (
    <form className="stock-form" aria-label="Adjust" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Adjust</h3>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      <LocationSelect locations={locations} error={errors.location_id?.message} registration={register('location_id')} />
      <FieldFrame
        label={`Change (${unit})`}
        hint={
          <>
            + adds, - takes away, e.g. -2.
            {here !== null ? ` This device counts ${withUnit(here, unit)} here.` : null}
            {belowZero ? ' That is more than this device counts here: the server refuses it unless its count is higher.' : null}
          </>
        }
        error={errors.delta?.message}
      >
        {(ids) => <input {...ids} autoComplete="off" {...register('delta')} />}
      </FieldFrame>
      <FieldFrame label="Reason" error={errors.reason?.message}>
        {(ids) => <textarea {...ids} rows={3} {...register('reason')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Record adjustment
      </button>
    </form>
  );
}
