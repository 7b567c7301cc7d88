/**
 * `/equipment/:id/report-fault`: reporting a fault on an item in at most three steps, made for
 * a phone in a noisy engine room with no signal: how bad, what is wrong, then photos (optional,
 * resized on the device). The report is queued as `report_fault.v1` with a client-made UUIDv7,
 * so it is the same fault however many times it is sent, and shows at once in the item's
 * faults, "on this device"; its photos are kept on the device after it and uploaded after it
 * is pushed (`src/sync/uploader.ts`).
 */
import '../../../components/maintenance.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { z } from 'zod';

import { fieldsOf, newRowId, textOf, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { queuePhoto, type PreparedPhoto } from '../../../photos/photo-queue';
import { PhotoPicker } from '../../../photos/photo-gallery';
import { useSignedInUser } from '../../../session/session-context';
import { useReplicaRow } from '../../../sync/replica-queries';
import { useSyncClient } from '../../../sync/sync-context';
import { SEVERITIES, useFaults, type Severity } from '../api/faults';
import { FaultSummary } from './fault-summary';
import { SEVERITY_LABEL } from './fault-labels';

const SEVERITY_HINT: Record<Severity, string> = {
  low: 'Can wait for planned maintenance',
  medium: 'Needs attention this rotation',
  high: 'Needs attention soon; the item still runs',
  critical: 'The item is down or unsafe',
};

/** What the form checks before anything is queued (the server's rules for `report_fault.v1`). */
export const reportSchema = z.object({
  severity: z.enum(SEVERITIES, { message: 'Choose how bad it is.' }),
  title: z.string().trim().min(1, 'Say in a few words what is wrong.').max(200, 'Keep the title to 200 characters.'),
  description: z.string().max(10_000, 'Keep the description to 10,000 characters.'),
});
type Report = z.infer<typeof reportSchema>;

const STEPS = ['How bad is it?', 'What is wrong?', 'Photos'] as const;

/** The page. */
export function ReportFaultPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const item = useReplicaRow('equipment', id);
  const name = item ? (textOf(fieldsOf(item), 'name') ?? 'this item') : 'this item';
  const vesselId = item ? textOf(fieldsOf(item), 'vessel_id') : null;
  const sync = useSyncClient();
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  useDocumentTitle(`Report a fault on ${name}`);
  const titleId = useId();
  const enqueue = useEnqueue();
  const [step, setStep] = useState(0);
  const [reported, setReported] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Report>({
    resolver: zodResolver(reportSchema),
    defaultValues: { title: '', description: '' },
    mode: 'onSubmit',
  });
  const { register, handleSubmit, trigger, formState, reset, getValues } = form;
  const errors = formState.errors;

  if (!may(user.role, 'fault.report')) {
    return (
      <section className="card" aria-labelledby={titleId}>
        <h1 id={titleId} className="page-title">
          Report a fault
        </h1>
        <p className="notice">Your role reads faults but does not report them.</p>
      </section>
    );
  }

  async function next() {
    const fields = step === 0 ? (['severity'] as const) : (['title', 'description'] as const);
    if (await trigger(fields)) setStep(step + 1);
  }

  const submit = handleSubmit(async (report) => {
    setFailure(null);
    const faultId = newRowId();
    try {
      await enqueue(
        'report_fault.v1',
        {
          id: faultId,
          equipment_id: id,
          severity: report.severity,
          title: report.title.trim(),
          description: report.description,
          observed_at: new Date().toISOString(),
        },
        null,
      );
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The report could not be kept on this device.');
      return;
    }
    // After the report, so the photos upload once it has been pushed (the attach needs the fault).
    if (sync && vesselId !== null) {
      try {
        for (const photo of photos) await queuePhoto(sync.db, photo, { kind: 'fault', id: faultId, vesselId });
      } catch {
        setFailure('The fault is reported, but its photos could not be kept on this device; add them from the fault’s page.');
      }
      sync.runner.notify('local-write');
    }
    setPhotos([]);
    setReported(report.title.trim());
    reset({ title: '', description: '' });
    setStep(0);
  });

  return (
    <article className="report-fault" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/equipment/${encodeURIComponent(id)}`}>Back to {name}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Report a fault on {name}
      </h1>
      {reported ? (
        <p className="notice notice--success" role="status">
          “{reported}” is reported. It is kept on this device and sent as soon as there is a connection.
        </p>
      ) : null}
      <form className="card" noValidate onSubmit={(e) => void submit(e)} aria-label="Report a fault">
        <p className="steps" aria-live="polite">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </p>
        {step === 0 ? (
          <fieldset className="field severity-choice">
            <legend>How bad is it?</legend>
            {SEVERITIES.map((s) => (
              <label key={s} className={`severity-choice__option level--${s}`}>
                <input type="radio" value={s} {...register('severity')} />
                <span>
                  <strong>{SEVERITY_LABEL[s]}</strong> — {SEVERITY_HINT[s]}
                </span>
              </label>
            ))}
            {errors.severity ? <p role="alert">{errors.severity.message}</p> : null}
          </fieldset>
        ) : null}
        {step === 1 ? (
          <>
            <p className="field__hint">Severity: {SEVERITY_LABEL[getValues('severity')]}</p>
            <div className="field">
              <label htmlFor={`${titleId}-title`}>What is wrong?</label>
              <input
                id={`${titleId}-title`}
                autoComplete="off"
                aria-invalid={errors.title ? true : undefined}
                aria-describedby={errors.title ? `${titleId}-title-error` : undefined}
                {...register('title')}
              />
              {errors.title ? (
                <p id={`${titleId}-title-error`} role="alert">
                  {errors.title.message}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor={`${titleId}-description`}>What did you see? (optional)</label>
              <textarea id={`${titleId}-description`} rows={4} {...register('description')} />
              {errors.description ? <p role="alert">{errors.description.message}</p> : null}
            </div>
          </>
        ) : null}
        {step === 2 ? (
          sync && vesselId !== null ? (
            <PhotoPicker photos={photos} onChange={setPhotos} />
          ) : (
            <p className="notice">Photos can be added from the fault’s page once this item has synced to the device.</p>
          )
        ) : null}
        {failure ? <p role="alert">{failure}</p> : null}
        <div className="button-row">
          {step > 0 ? (
            <button className="button" type="button" onClick={() => { setStep(step - 1); }}>
              Back
            </button>
          ) : null}
          {step < STEPS.length - 1 ? (
            // Keys keep "Next" and "Report fault" distinct elements: were the one button turned
            // into a submit button while its click is being handled, that click would submit.
            <button key="next" className="button button--primary" type="button" onClick={() => void next()}>
              Next
            </button>
          ) : (
            <button key="submit" className="button button--primary" type="submit" disabled={formState.isSubmitting}>
              Report fault
            </button>
          )}
        </div>
      </form>
      <ItemFaults equipmentId={id} />
    </article>
  );
}

/** The item's faults, those still on this device included. */
function ItemFaults({ equipmentId }: { equipmentId: string }) {
  const titleId = useId();
  const faults = useFaults()?.filter((f) => f.equipmentId === equipmentId.toLowerCase());
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Faults on this item
      </h2>
      {faults === undefined ? (
        <p className="notice" role="status">
          Loading faults…
        </p>
      ) : faults.length === 0 ? (
        <p className="notice">No faults reported.</p>
      ) : (
        <ul className="fault-list" aria-labelledby={titleId}>
          {faults.map((f) => (
            <FaultSummary key={f.id} fault={f} />
          ))}
        </ul>
      )}
    </section>
  );
}
