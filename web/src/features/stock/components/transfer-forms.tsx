/**
 * Sending parts to another location and receiving them there, for roles with `stock.move`,
 * checked with the server's rules before anything is queued (`api/transfers.ts`):
 *
 * - sending, from a location line of a part's page: the destination vessel (those whose stock
 *   locations this device holds) and location, and a quantity no more than the source holds on
 *   this device's count, waiting writes included; queued as `transfer_stock.v1`, the source's
 *   on hand drops at once;
 * - receiving, on the destination vessel's Transfers page: the quantity that arrived, prefilled
 *   with what was sent and at most that; queued as `receive_transfer.v1`.
 *
 * The transfer's id and its ledger entry's are made once per form (UUIDv7), so sending the same
 * form again (a retry) is the same transfer; a new pair follows each one kept.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { formatQuantity, parseQuantity, ZERO, type Thousandths } from '../../../components/quantity';
import { RECEIVE_TRANSFER, TRANSFER_STOCK, type StockLocation } from '../../../components/stock-levels';
import { receiptSchema, transferSchema, useDestinations, type TransferLine } from '../api/transfers';
import { withUnit } from './stock-labels';

const keptOffline = 'It is kept on this device and sent as soon as there is a connection.';

/** A pair of ids for one transfer or receipt: the record's and its ledger entry's. */
const newIds = () => ({ id: newRowId(), entry: newRowId() });

/** Sending a part from `from` to a location of any vessel this device knows. */
export function TransferForm(props: TransferFormProps) {
  const places = useDestinations();
  // The form opens once the destinations are read, so the vessel it leaves is chosen at first.
  if (places === undefined) {
    return (
      <p className="notice" role="status">
        Loading the locations…
      </p>
    );
  }
  return <TransferFields {...props} places={places} />;
}

interface TransferFormProps {
  partId: string;
  unit: string;
  /** The location it leaves. */
  from: StockLocation;
  /** What this device counts there, waiting writes included. */
  onHand: Thousandths;
}

function TransferFields({ partId, unit, from, onHand, places }: TransferFormProps & { places: NonNullable<ReturnType<typeof useDestinations>> }) {
  const enqueue = useEnqueue();
  const [ids, setIds] = useState(newIds);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const schema = transferSchema(from.id, onHand, unit);
  const { register, handleSubmit, formState, reset, control, setValue } = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { to_vessel_id: from.vesselId, to_location_id: '', quantity: '' },
  });
  const vesselId = useWatch({ control, name: 'to_vessel_id' });
  const errors = formState.errors;
  const vessels = places.vessels;
  const vessel = vessels.find((v) => v.id === vesselId);
  const vesselName = (v: { id: string; name: string | null }) => v.name ?? `A vessel not on this device (${v.id.slice(-6)})`;

  const submit = handleSubmit(async ({ to_location_id, quantity }) => {
    setFailure(null);
    setDone(null);
    try {
      await enqueue(
        TRANSFER_STOCK,
        { id: ids.id, entry_id: ids.entry, from_location_id: from.id, to_location_id, part_id: partId, quantity },
        null,
      );
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The transfer could not be kept on this device.');
      return;
    }
    const to = vessel?.locations.find((l) => l.id === to_location_id)?.path ?? 'the location';
    setDone(`${withUnit(parseQuantity(quantity) ?? ZERO, unit)} sent from ${from.path} to ${to}${vessel ? ` on ${vesselName(vessel)}` : ''}. ${keptOffline}`);
    setIds(newIds());
    reset({ to_vessel_id: vesselId, to_location_id: '', quantity: '' });
  });

  return (
    <form className="stock-form" aria-label="Send to another location" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Send from {from.path}</h3>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      <p className="field__hint">This device counts {withUnit(onHand, unit)} here, waiting changes included.</p>
      <FieldFrame label="Vessel it goes to" error={errors.to_vessel_id?.message}>
        {(fieldIds) => (
          <select
            {...fieldIds}
            {...register('to_vessel_id', {
              onChange: () => {
                setValue('to_location_id', '');
              },
            })}
          >
            <option value="">Choose a vessel</option>
            {vessels.map((v) => (
              <option key={v.id} value={v.id}>
                {vesselName(v)}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      {places.unseen > 0 ? (
        <p className="field__hint">
          Another vessel of the company is not on this device: a transfer to it is sent by someone who sees that vessel.
        </p>
      ) : null}
      <FieldFrame label="Location it goes to" error={errors.to_location_id?.message}>
        {(fieldIds) => (
          <select {...fieldIds} {...register('to_location_id')}>
            <option value="">{vessel ? 'Choose a location' : 'Choose the vessel first'}</option>
            {(vessel?.locations ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <FieldFrame label={`Quantity to send (${unit})`} hint="Up to 3 decimals, e.g. 1.5." error={errors.quantity?.message}>
        {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('quantity')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Send
      </button>
    </form>
  );
}

/** Receiving a transfer in transit to this vessel: how many arrived, at most what was sent. */
export function ReceiveTransferForm({ transfer, unit, onDone }: { transfer: TransferLine; unit: string; onDone?: () => void }) {
  const enqueue = useEnqueue();
  const [ids] = useState(newIds);
  const [failure, setFailure] = useState<string | null>(null);
  const schema = receiptSchema(transfer.sent, unit);
  const { register, handleSubmit, formState } = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { quantity: formatQuantity(transfer.sent) },
  });
  const submit = handleSubmit(async ({ quantity }) => {
    setFailure(null);
    try {
      await enqueue(RECEIVE_TRANSFER, { transfer_id: transfer.id, entry_id: ids.entry, quantity }, null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The receipt could not be kept on this device.');
      return;
    }
    onDone?.();
  });
  return (
    <form className="stock-form" aria-label="Receive transfer" noValidate onSubmit={(e) => void submit(e)}>
      <FieldFrame
        label={`Quantity that arrived (${unit})`}
        hint={`${withUnit(transfer.sent, unit)} were sent; what did not arrive is recorded as the shortfall.`}
        error={formState.errors.quantity?.message}
      >
        {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('quantity')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Record receipt
      </button>
    </form>
  );
}
