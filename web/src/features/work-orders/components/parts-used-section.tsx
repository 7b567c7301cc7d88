/**
 * The parts used on a work order: the vessel's `stock_entry` rows issued to it and the person's
 * `issue_part.v1` still waiting (what was taken, from where, by whom, when; a refusal such as
 * `insufficient_stock` with its reason until dismissed). "Use a part", while the order is in
 * progress or on hold (`workorder.execute`): a part the vessel holds, a location with what this
 * device counts there (the stock pages' own reckoning, `components/stock-levels.ts`), and a
 * quantity above 0 (at most 3 decimals), queued as `issue_part.v1`
 * `{ id, work_order_id, location_id, part_id, quantity }`. Taking more than the device counts is
 * the server's to refuse (its count may be newer), so the form only warns.
 *
 * The list is drawn from what the page read (`WorkOrderView`); the catalogue and the vessel's
 * stock, which only the form needs, are read once the form is opened.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';

import { formatDateTime } from '../../../components/date-time';
import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { useParts, type PartItem } from '../../../components/parts-catalogue';
import { PendingMark } from '../../../components/pending-mark';
import { formatQuantity, parseQuantity, quantityText, ZERO, type Thousandths } from '../../../components/quantity';
import { ISSUE_PART, useVesselStock, type PartStock, type StockLocation } from '../../../components/stock-levels';
import { useSignedInUser } from '../../../session/session-context';
import type { PartUsed } from '../api/work-log';
import type { WorkOrderItem } from '../api/work-orders';
import { Refusal } from './work-order-labels';

/** "2.5 pcs". */
const withUnit = (quantity: Thousandths, unit: string) => `${formatQuantity(quantity)} ${unit}`.trim();

/**
 * The section: the parts `used`, named from `parts` (by id), `locationPaths` (by location id) and
 * `people` (by user id).
 */
export function PartsUsedSection({
  order,
  used,
  parts: partById,
  locationPaths: pathOf,
  people,
  canUse,
}: {
  order: WorkOrderItem;
  used: readonly PartUsed[];
  parts: ReadonlyMap<string, PartItem>;
  locationPaths: ReadonlyMap<string, string>;
  people: ReadonlyMap<string, string>;
  canUse: boolean;
}) {
  const titleId = useId();
  const formId = useId();
  const user = useSignedInUser();
  const [open, setOpen] = useState(false);
  const me = user.id.toLowerCase();
  const who = (id: string | null) => (id === null || id === me ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate'));
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Parts used
      </h2>
      {used.length === 0 ? (
        <p className="notice">No parts used yet.{canUse ? ' Record each part taken from stock with “Use a part”.' : ''}</p>
      ) : (
        <ul className="wo-log" aria-labelledby={titleId}>
          {used.map((p) => {
            const part = partById.get(p.partId);
            return (
              <li key={p.id} className={p.pending?.state === 'rejected' ? 'wo-log__entry wo-log__entry--refused' : 'wo-log__entry'}>
                <strong className="wo-number">{withUnit(p.quantity, part?.unit ?? '')}</strong>{' '}
                {part ? `${part.number} ${part.name}` : 'A part not yet on this device'}
                <span className="wo-log__meta">
                  {' '}
                  · from {pathOf.get(p.locationId) ?? 'a location not yet on this device'} · {who(p.recordedBy)}
                  {p.recordedAt ? (
                    <>
                      {' '}
                      · <time dateTime={p.recordedAt}>{formatDateTime(p.recordedAt)}</time>
                    </>
                  ) : null}
                </span>
                {p.pending ? (
                  <>
                    {' '}
                    · <PendingMark write={p.pending} />
                    <Refusal write={p.pending} />
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {canUse && order.vesselId !== null ? (
        <>
          <button
            className="button wo-toggle"
            type="button"
            aria-expanded={open}
            aria-controls={formId}
            onClick={() => {
              setOpen(!open);
            }}
          >
            Use a part
          </button>
          <div id={formId} hidden={!open}>
            {open ? <UsePart workOrderId={order.id} vesselId={order.vesselId} /> : null}
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The form, once the catalogue and the vessel's stock are read. */
function UsePart({ workOrderId, vesselId }: { workOrderId: string; vesselId: string }) {
  const parts = useParts();
  const stock = useVesselStock(vesselId);
  return stock && parts ? <UsePartForm workOrderId={workOrderId} parts={parts} stock={stock.stock} locations={stock.locations} /> : null;
}

export const usePartSchema = z.object({
  part_id: z.string().min(1, 'Choose the part.'),
  location_id: z.string().min(1, 'Choose where it was taken from.'),
  quantity: quantityText('positive', 'Enter the quantity used.'),
});
type UsePartFields = z.input<typeof usePartSchema>;
type UsePart = z.output<typeof usePartSchema>;

function UsePartForm({
  workOrderId,
  parts,
  stock,
  locations,
}: {
  workOrderId: string;
  parts: readonly PartItem[];
  stock: ReadonlyMap<string, PartStock>;
  locations: readonly StockLocation[];
}) {
  const enqueue = useEnqueue();
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset, control } = useForm<UsePartFields, unknown, UsePart>({
    resolver: zodResolver(usePartSchema),
    defaultValues: { part_id: '', location_id: '', quantity: '' },
  });
  const [partId, locationId, typed] = useWatch({ control, name: ['part_id', 'location_id', 'quantity'] });
  const errors = formState.errors;
  // The parts the vessel holds (on this device's count), by number.
  const held = parts.filter((p) => !p.refused && (stock.get(p.id)?.total ?? ZERO) > ZERO);
  const part = held.find((p) => p.id === partId) ?? null;
  const partStock = part ? stock.get(part.id) : undefined;
  const usable = locations.filter((l) => l.pending?.state !== 'rejected');
  const here = part && locationId !== '' ? (partStock?.byLocation.get(locationId) ?? ZERO) : null;
  const asked = parseQuantity(typed.replace(/\s/g, ''));
  const tooMuch = here !== null && asked !== null && asked > here;

  const submit = handleSubmit(async ({ part_id, location_id, quantity }) => {
    setFailure(null);
    setDone(null);
    try {
      await enqueue(ISSUE_PART, { id: newRowId(), work_order_id: workOrderId, location_id, part_id, quantity }, null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The part could not be kept on this device.');
      return;
    }
    const chosen = held.find((p) => p.id === part_id);
    setDone(
      `${withUnit(parseQuantity(quantity) ?? ZERO, chosen?.unit ?? '')} ${chosen ? `${chosen.number} ${chosen.name}` : ''} recorded as used. It is kept on this device and sent as soon as there is a connection.`,
    );
    reset({ part_id: '', location_id: '', quantity: '' });
  });

  if (held.length === 0) {
    return <p className="notice">No parts are held on this vessel on this device’s count: parts are received into a location on the vessel’s Stock page first.</p>;
  }
  return (
    <form className="wo-form" aria-label="Use a part" noValidate onSubmit={(e) => void submit(e)}>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      <FieldFrame label="Part" error={errors.part_id?.message}>
        {(ids) => (
          <select {...ids} {...register('part_id')}>
            <option value="">Choose a part</option>
            {held.map((p) => (
              <option key={p.id} value={p.id}>
                {p.number} {p.name} — {withUnit(stock.get(p.id)?.total ?? ZERO, p.unit)} on board
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <FieldFrame label="Taken from" error={errors.location_id?.message}>
        {(ids) => (
          <select {...ids} {...register('location_id')}>
            <option value="">Choose a location</option>
            {usable.map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
                {part ? ` — ${withUnit(partStock?.byLocation.get(l.id) ?? ZERO, part.unit)}` : ''}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <FieldFrame
        label={`Quantity used${part ? ` (${part.unit})` : ''}`}
        hint={
          <>
            Up to 3 decimals, e.g. 2.5.
            {here !== null && part ? ` This device counts ${withUnit(here, part.unit)} here.` : null}
            {tooMuch ? ' That is more than this device counts here: the server refuses it unless its count is higher.' : null}
          </>
        }
        error={errors.quantity?.message}
      >
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('quantity')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Use part
      </button>
    </form>
  );
}
