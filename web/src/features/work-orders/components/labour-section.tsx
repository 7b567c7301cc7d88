/**
 * A work order's labour: who worked, which day, how long, and the total; "Log time" for the
 * person signed in while the order is in progress or on hold (`workorder.execute`): the day,
 * hours and minutes, queued as `log_labour.v1` `{ id, work_order_id, worked_on, minutes }` with
 * whole minutes (at least one, at most 24 hours: one person, one day).
 *
 * Labour rates are a cost to the company, like a supplier's price: only roles that read supplier
 * prices (`price.supplier.read`: owners, admins, managers) get the optional "Rate per hour" and
 * its currency (the one this order's rates are in, else EUR), sent with the entry as `rate_minor`
 * (minor units) and `currency`, both or neither, as the server takes them. An entry's rate and
 * cost are shown where the replica carries them (the server sends them only to those roles), and
 * the order's labour cost under the total when any entry has one; other roles see nothing new.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import { formatDate } from '../../../components/date-time';
import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import {
  formatMinutes,
  formatMoney,
  labourCosts,
  MAX_LABOUR_MINUTES,
  MAX_LABOUR_RATE_MINOR,
  minorDigits,
  minutesOf,
  parseRate,
  totalMinutes,
  type LabourItem,
} from '../api/work-log';
import { LOG_LABOUR, today, type WorkOrderItem } from '../api/work-orders';
import { Refusal } from './work-order-labels';

const whole = (most: number, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d+$/.test(v) && Number(v) <= most), message);

export const labourSchema = z
  .object({
    worked_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose the day you worked.'),
    hours: whole(24, 'Enter whole hours, 0 to 24.'),
    minutes: whole(59, 'Enter whole minutes, 0 to 59.'),
    /** Optional, and only offered to roles that read supplier prices: the hourly rate as typed. */
    rate: z.string().trim(),
    currency: z.string().trim(),
  })
  .superRefine((v, ctx) => {
    if (v.rate !== '') {
      if (!/^[A-Za-z]{3}$/.test(v.currency)) {
        ctx.addIssue({ code: 'custom', path: ['currency'], message: 'Three letters, such as EUR.' });
      } else {
        const currency = v.currency.toUpperCase();
        const minor = parseRate(v.rate, currency);
        const digits = minorDigits(currency);
        if (minor === null) {
          const decimals = digits === 0 ? 'a whole number' : `a number with at most ${digits} decimals`;
          ctx.addIssue({ code: 'custom', path: ['rate'], message: `Enter the rate as ${decimals}, such as ${(85).toFixed(digits)}.` });
        } else if (minor > MAX_LABOUR_RATE_MINOR) {
          ctx.addIssue({ code: 'custom', path: ['rate'], message: `At most ${formatMoney(MAX_LABOUR_RATE_MINOR, currency)} an hour.` });
        }
      }
    }
    if (!/^\d*$/.test(v.hours) || !/^\d*$/.test(v.minutes)) return;
    const total = minutesOf(Number(v.hours || '0'), Number(v.minutes || '0'));
    if (total < 1) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'Enter the time worked: at least one minute.' });
    if (total > MAX_LABOUR_MINUTES) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'At most 24 hours in one entry: log each day on its own.' });
  });
type Labour = z.infer<typeof labourSchema>;

/** The section: the order's labour `entries`, and the `people` who worked by user id. */
export function LabourSection({
  order,
  entries,
  people,
  canLog,
}: {
  order: WorkOrderItem;
  entries: readonly LabourItem[];
  people: ReadonlyMap<string, string>;
  canLog: boolean;
}) {
  const titleId = useId();
  const formId = useId();
  const user = useSignedInUser();
  const [open, setOpen] = useState(false);
  const me = user.id.toLowerCase();
  const costs = labourCosts(entries);
  const priced = entries.filter((e) => e.costMinor !== null && e.pending?.state !== 'rejected').length;
  const counted = entries.filter((e) => e.pending?.state !== 'rejected').length;
  // The rates on this order say which currency its labour is paid in; EUR when none has one.
  const currency = entries.find((e) => e.rateMinor !== null && e.currency !== null)?.currency ?? 'EUR';
  const who = (personId: string | null) =>
    personId === null || personId === me ? `${user.name} (you)` : (people.get(personId) ?? 'A shipmate');
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Labour
      </h2>
      {entries.length === 0 ? (
        <p className="notice">No time logged yet.{canLog ? ' Log the time you worked with “Log time”.' : ''}</p>
      ) : (
        <>
          <p className="wo-summary">Total: {formatMinutes(totalMinutes(entries))}</p>
          {costs.length > 0 ? (
            <p className="wo-summary">
              Labour cost: {costs.map((c) => formatMoney(c.minor, c.currency)).join(' + ')}
              {priced < counted ? ` (the ${priced.toLocaleString()} ${priced === 1 ? 'entry' : 'entries'} with a rate)` : ''}
            </p>
          ) : null}
          <ul className="wo-log" aria-labelledby={titleId}>
            {entries.map((e) => (
              <li key={e.id} className={e.pending?.state === 'rejected' ? 'wo-log__entry wo-log__entry--refused' : 'wo-log__entry'}>
                <strong className="wo-number">{formatMinutes(e.minutes)}</strong> · {who(e.personId)}
                {e.workedOn ? (
                  <>
                    {' '}
                    · <time dateTime={e.workedOn}>{formatDate(`${e.workedOn}T12:00:00`)}</time>
                  </>
                ) : null}
                {e.rateMinor !== null && e.currency !== null ? (
                  <>
                    {' '}
                    · {formatMoney(e.rateMinor, e.currency)} an hour
                    {e.costMinor !== null ? (
                      <>
                        {' '}
                        · cost <span className="wo-number">{formatMoney(e.costMinor, e.currency)}</span>
                      </>
                    ) : null}
                  </>
                ) : null}
                {e.pending ? (
                  <>
                    {' '}
                    · <PendingMark write={e.pending} />
                    <Refusal write={e.pending} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {canLog ? (
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
            Log time
          </button>
          <div id={formId} hidden={!open}>
            {open ? (
              <LogTimeForm workOrderId={order.id} withRate={may(user.role, 'price.supplier.read')} defaultCurrency={currency} />
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}

function LogTimeForm({
  workOrderId,
  withRate,
  defaultCurrency,
}: {
  workOrderId: string;
  /** Whether the person reads supplier prices, and so may give a rate. */
  withRate: boolean;
  defaultCurrency: string;
}) {
  const enqueue = useEnqueue();
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<Labour>({
    resolver: zodResolver(labourSchema),
    defaultValues: { worked_on: today(), hours: '', minutes: '', rate: '', currency: defaultCurrency },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async ({ worked_on, hours, minutes, rate, currency }) => {
    setFailure(null);
    setDone(null);
    const total = minutesOf(Number(hours || '0'), Number(minutes || '0'));
    const code = currency.toUpperCase();
    // Both or neither, as the server takes them; a role without prices never sends one.
    const rateMinor = withRate && rate !== '' ? parseRate(rate, code) : null;
    const priced = rateMinor === null ? {} : { rate_minor: rateMinor, currency: code };
    try {
      await enqueue(LOG_LABOUR, { id: newRowId(), work_order_id: workOrderId, worked_on, minutes: total, ...priced }, null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The time could not be kept on this device.');
      return;
    }
    const cost = rateMinor === null ? '' : ` at ${formatMoney(rateMinor, code)} an hour`;
    setDone(`${formatMinutes(total)} logged${cost}. It is kept on this device and sent as soon as there is a connection.`);
    reset({ worked_on, hours: '', minutes: '', rate, currency: code });
  });
  return (
    <form className="wo-form" aria-label="Log time" noValidate onSubmit={(e) => void submit(e)}>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      <FieldFrame label="Day worked" error={errors.worked_on?.message}>
        {(ids) => <input {...ids} type="date" max={today()} {...register('worked_on')} />}
      </FieldFrame>
      <div className="wo-pair">
        <FieldFrame label="Hours" error={errors.hours?.message}>
          {(ids) => <input {...ids} inputMode="numeric" autoComplete="off" {...register('hours')} />}
        </FieldFrame>
        <FieldFrame label="Minutes" error={errors.minutes?.message}>
          {(ids) => <input {...ids} inputMode="numeric" autoComplete="off" {...register('minutes')} />}
        </FieldFrame>
      </div>
      {withRate ? (
        <div className="wo-pair">
          <FieldFrame label="Rate per hour (optional)" error={errors.rate?.message}>
            {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('rate')} />}
          </FieldFrame>
          <FieldFrame label="Currency" error={errors.currency?.message}>
            {(ids) => (
              <input {...ids} autoComplete="off" autoCapitalize="characters" maxLength={3} spellCheck={false} {...register('currency')} />
            )}
          </FieldFrame>
          <p className="field__hint wo-pair__note">Rates and costs are seen only by owners, admins and managers.</p>
        </div>
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Save time
      </button>
    </form>
  );
}
