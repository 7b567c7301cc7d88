/**
 * `/vessels/:id/assignments/new` (`?equipment=`): "Assign equipment", for the roles that plan
 * (`assignment.manage`): an item of the site, an operator among the people who reach it, the
 * period — whole days by default (first and last day, from the device's midnight to the
 * midnight after the last day), or start and end times — and a note. Checked as the server
 * checks it before anything is queued: an end after the start, at most 366 days, a note of at
 * most 500 characters, and the item not held by another booking for part of the period
 * (`double_booked`, naming the booking in the way), against every booking this device knows,
 * waiting ones included; the operator's other bookings in the period are a warning only (one
 * operator may mind two machines). Queued as `assign_equipment.v1` with a client-made UUIDv7
 * (made once per form, so sending again is the same booking); the site's bookings then show it
 * at once, "on this device".
 */
import './assignments.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { charCount, hasControl } from '../../../components/plain-text';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import {
  ASSIGN_EQUIPMENT,
  checkBooking,
  localToday,
  periodDays,
  timedPeriod,
  useAssignments,
  useItemIndex,
  useSiteItems,
  useSiteName,
  useSiteOperators,
  wholeDays,
  type Assignment,
  type Operator,
  type SiteItem,
} from '../api/assignments';
import { ASSIGNMENT_STATUS_LABEL, formatPeriod, usePersonName } from './assignment-labels';
import type { BookedState } from './site-assignments-page';
import { SiteNav } from './site-nav';

const NOTE_MAX = 500;
const MAX_DAYS = 366;

const schema = z
  .object({
    equipment_id: z.string().min(1, 'Choose the item.'),
    operator_id: z.string().min(1, 'Choose the operator.'),
    whole_days: z.boolean(),
    first_day: z.string(),
    last_day: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    note: z
      .string()
      .refine((v) => charCount(v) <= NOTE_MAX, `At most ${NOTE_MAX} characters.`)
      .refine((v) => !hasControl(v), 'Remove the control characters.'),
  })
  .superRefine((v, ctx) => {
    if (v.whole_days) {
      if (v.first_day === '') ctx.addIssue({ code: 'custom', path: ['first_day'], message: 'Choose the first day.' });
      if (v.last_day === '') ctx.addIssue({ code: 'custom', path: ['last_day'], message: 'Choose the last day.' });
      else if (v.first_day !== '' && v.last_day < v.first_day) {
        ctx.addIssue({ code: 'custom', path: ['last_day'], message: 'The last day is on or after the first.' });
      }
    } else {
      if (v.starts_at === '') ctx.addIssue({ code: 'custom', path: ['starts_at'], message: 'Choose when it starts.' });
      if (v.ends_at === '') ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'Choose when it ends.' });
      else if (v.starts_at !== '' && Date.parse(v.ends_at) <= Date.parse(v.starts_at)) {
        ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'It ends after it starts.' });
      }
    }
    const period = periodOf(v);
    if (period && periodDays(period) > MAX_DAYS) {
      ctx.addIssue({ code: 'custom', path: [v.whole_days ? 'last_day' : 'ends_at'], message: 'An assignment lasts at most a year (366 days).' });
    }
  });

type Values = z.input<typeof schema>;

/** The period the form's values give, if they give one. */
function periodOf(v: Pick<Values, 'whole_days' | 'first_day' | 'last_day' | 'starts_at' | 'ends_at'>) {
  const p = v.whole_days ? wholeDays(v.first_day, v.last_day) : timedPeriod(v.starts_at, v.ends_at);
  return p && Date.parse(p.endsAt) > Date.parse(p.startsAt) ? p : null;
}

/** The page. */
export function AssignPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const siteName = useSiteName(vesselId);
  useDocumentTitle(siteName ? `Assign equipment on ${siteName}` : 'Assign equipment');
  const titleId = useId();
  const items = useSiteItems(vesselId);
  const operators = useSiteOperators(vesselId);
  const assignments = useAssignments();
  const heading = (
    <>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/assignments`}>Bookings on {siteName ?? 'the site'}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Assign equipment
      </h1>
    </>
  );
  if (!may(user.role, 'assignment.manage')) {
    return (
      <section className="assignments card" aria-labelledby={titleId}>
        {heading}
        <p className="notice">Your role does not assign equipment: a manager, an admin or an owner does.</p>
      </section>
    );
  }
  return (
    <section className="assignments" aria-labelledby={titleId}>
      {heading}
      <SiteNav vesselId={vesselId} />
      {items === undefined || operators === undefined || assignments === undefined ? (
        <p className="notice" role="status">
          Loading the site’s items and people…
        </p>
      ) : (
        <AssignForm vesselId={vesselId} items={items.filter((i) => !i.decommissioned)} operators={operators} assignments={assignments} />
      )}
    </section>
  );
}

function AssignForm({
  vesselId,
  items,
  operators,
  assignments,
}: {
  vesselId: string;
  items: SiteItem[];
  operators: Operator[];
  assignments: Assignment[];
}) {
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const person = usePersonName();
  const itemIndex = useItemIndex();
  const [bookingId] = useState(newRowId);
  const [failure, setFailure] = useState<string | null>(null);
  // Sent with a clash: the clash is then the item's error rather than a warning.
  const [refused, setRefused] = useState(false);
  const wholeDaysId = useId();
  const chosen = params.get('equipment')?.toLowerCase() ?? '';
  const today = localToday();
  const { register, handleSubmit, formState, control } = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: {
      equipment_id: items.some((i) => i.id === chosen) ? chosen : '',
      operator_id: '',
      whole_days: true,
      first_day: today,
      last_day: today,
      starts_at: '',
      ends_at: '',
      note: '',
    },
  });
  const values = useWatch({ control });
  const errors = formState.errors;
  const wholeDaysOn = values.whole_days !== false;
  const period = periodOf({
    whole_days: wholeDaysOn,
    first_day: values.first_day ?? '',
    last_day: values.last_day ?? '',
    starts_at: values.starts_at ?? '',
    ends_at: values.ends_at ?? '',
  });
  const check =
    period && values.equipment_id
      ? checkBooking({ equipmentId: values.equipment_id, operatorId: values.operator_id ?? '', ...period }, assignments)
      : null;
  const itemName = (itemId: string) => itemIndex?.get(itemId)?.name ?? items.find((i) => i.id === itemId)?.name ?? 'The item';
  const clashText = (a: Assignment) =>
    `${itemName(a.equipmentId)} is booked for ${person(a.operatorId)}, ${formatPeriod(a)} (${ASSIGNMENT_STATUS_LABEL[a.status].toLowerCase()}${
      a.version === null ? ', on this device' : ''
    }). Choose another period or another item.`;

  const submit = handleSubmit(async (v) => {
    setFailure(null);
    const p = periodOf(v);
    if (!p) return;
    const found = checkBooking({ equipmentId: v.equipment_id, operatorId: v.operator_id, ...p }, assignments);
    setRefused(found.clash !== null);
    if (found.clash) return;
    const note = v.note.trim();
    try {
      await enqueue(
        ASSIGN_EQUIPMENT,
        { id: bookingId, equipment_id: v.equipment_id, operator_id: v.operator_id, starts_at: p.startsAt, ends_at: p.endsAt, ...(note ? { note } : {}) },
        null,
      );
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The booking could not be kept on this device.');
      return;
    }
    const state: BookedState = {
      booked: `${itemName(v.equipment_id)} booked for ${person(v.operator_id)}, ${formatPeriod(p)}. It is kept on this device and sent as soon as there is a connection; the operator then accepts or declines it.`,
    };
    await navigate(`/vessels/${encodeURIComponent(vesselId)}/assignments`, { state });
  });

  return (
    <form className="card assignment-form" aria-label="Assign equipment" noValidate onSubmit={(e) => void submit(e)}>
      <FieldFrame label="Item" error={errors.equipment_id?.message ?? (refused && check?.clash ? clashText(check.clash) : undefined)}>
        {(ids) => (
          <select {...ids} {...register('equipment_id')}>
            <option value="">Choose an item</option>
            {items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <FieldFrame
        label="Operator"
        hint={operators.length === 0 ? 'Nobody who reaches this site is on this device yet.' : 'The people on the site’s rotation come first.'}
        error={errors.operator_id?.message}
      >
        {(ids) => (
          <select {...ids} {...register('operator_id')}>
            <option value="">Choose the operator</option>
            {operators.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
                {o.onSite ? '' : ' (not on the site’s rotation)'}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <div className="checkbox">
        <input id={wholeDaysId} type="checkbox" {...register('whole_days')} />
        <label htmlFor={wholeDaysId}>Whole days</label>
      </div>
      {wholeDaysOn ? (
        <div className="field-pair">
          <FieldFrame label="First day" error={errors.first_day?.message}>
            {(ids) => <input {...ids} type="date" {...register('first_day')} />}
          </FieldFrame>
          <FieldFrame label="Last day" error={errors.last_day?.message}>
            {(ids) => <input {...ids} type="date" min={values.first_day || undefined} {...register('last_day')} />}
          </FieldFrame>
        </div>
      ) : (
        // A date with its time is too wide for two on a phone: one under the other.
        <>
          <FieldFrame label="Starts" error={errors.starts_at?.message}>
            {(ids) => <input {...ids} type="datetime-local" {...register('starts_at')} />}
          </FieldFrame>
          <FieldFrame label="Ends" error={errors.ends_at?.message}>
            {(ids) => <input {...ids} type="datetime-local" {...register('ends_at')} />}
          </FieldFrame>
        </>
      )}
      {check?.clash && !refused ? (
        <p className="notice notice--warning booking-warning" role="status">
          {clashText(check.clash)}
        </p>
      ) : null}
      {check && check.operatorBusy.length > 0 ? (
        <div className="notice notice--warning booking-warning" role="status">
          <p>
            {person(values.operator_id ?? null)} also has{' '}
            {check.operatorBusy.map((a) => `${itemName(a.equipmentId)} (${formatPeriod(a)})`).join(', ')} in that period. One operator may
            mind two machines; book it anyway if that is meant.
          </p>
        </div>
      ) : null}
      <FieldFrame label="Note (optional)" hint={`Up to ${NOTE_MAX} characters: where, what for.`} error={errors.note?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register('note')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Assign
      </button>
    </form>
  );
}
