/**
 * `/procedures/new` and `/procedures/:id/edit`, for roles with `procedure.write`: a procedure's
 * title, description and steps (the work orders' step builder), checked on the device as the
 * server checks them (`procedure-form.ts`) and queued as `create_procedure.v1` with a client-made
 * UUIDv7, or `update_procedure.v1`; the list then opens, the procedure shown at once "on this
 * device". A procedure whose creation still waits is edited once the server has it.
 *
 * An edit's base version is the procedure's replica version as it was when the form was filled,
 * kept with the values it was filled from (as the work order edit keeps it): the server decides
 * each field against that base, so a change synced in while the form was open is never
 * overwritten by the older copy the form holds.
 */
import '../../../components/maintenance.css';
import './procedures.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue, usePendingWrites } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { CREATE_PROCEDURE, UPDATE_PROCEDURE, useProcedure, type ProcedureItem } from '../../../components/procedures';
import { StepBuilder } from '../../../components/step-builder';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { PendingWrites } from './procedure-labels';
import {
  blankProcedure,
  createProcedureArgs,
  procedureFieldsOf,
  procedureSchema,
  updateProcedureArgs,
  type ProcedureFields,
} from './procedure-form';

const notYours = <p className="notice">Your role does not write procedures: an engineer, a manager or an admin does.</p>;
const loading = (
  <p className="notice" role="status">
    Loading…
  </p>
);

function Frame({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  const titleId = useId();
  return (
    <article className="procedures" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/procedures">All procedures</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {title}
      </h1>
      {children}
    </article>
  );
}

/** `/procedures/new`. */
export function NewProcedurePage() {
  const user = useSignedInUser();
  const writes = usePendingWrites();
  let body;
  if (!may(user.role, 'procedure.write')) body = notYours;
  else if (writes === undefined) body = loading;
  else {
    body = (
      <>
        <PendingWrites writes={writes.filter((w) => w.name === CREATE_PROCEDURE)} label="Procedures created here not yet accepted" />
        <ProcedureForm procedureId={null} baseVersion={null} defaults={blankProcedure()} />
      </>
    );
  }
  return <Frame title="New procedure">{body}</Frame>;
}

/** `/procedures/:id/edit`. */
export function EditProcedurePage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const procedure = useProcedure(id);
  let body;
  if (!may(user.role, 'procedure.write')) body = notYours;
  else if (procedure === undefined) body = loading;
  else if (procedure === null) body = <p className="notice">That procedure is not on this device: it may have been made since the last sync.</p>;
  else if (procedure.version === null) {
    body = (
      <>
        <PendingWrites writes={procedure.pending} />
        <p className="notice">The new procedure is still on this device; it can be edited once the server has it.</p>
      </>
    );
  } else body = <EditForm key={procedure.id} procedure={procedure} />;
  return <Frame title="Edit procedure">{body}</Frame>;
}

function EditForm({ procedure }: { procedure: ProcedureItem }) {
  // The form starts from the procedure as it was when opened, and its version with it: a sync
  // meanwhile resets neither (see the module's note).
  const [opened] = useState(() => ({ fields: procedureFieldsOf(procedure), version: procedure.version }));
  return (
    <>
      <PendingWrites writes={procedure.pending} />
      <ProcedureForm procedureId={procedure.id} baseVersion={opened.version} defaults={opened.fields} />
    </>
  );
}

function ProcedureForm({ procedureId, baseVersion, defaults }: { procedureId: string | null; baseVersion: number | null; defaults: ProcedureFields }) {
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, control } = useForm<ProcedureFields>({ resolver: zodResolver(procedureSchema), defaultValues: defaults });
  const errors = formState.errors;

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      if (procedureId !== null) await enqueue(UPDATE_PROCEDURE, updateProcedureArgs(procedureId, values), baseVersion);
      else await enqueue(CREATE_PROCEDURE, createProcedureArgs(newRowId(), values), null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The procedure could not be kept on this device.');
      return;
    }
    await navigate('/procedures');
  });

  return (
    <form className="card procedure-form" aria-label={procedureId ? 'Edit procedure' : 'New procedure'} noValidate onSubmit={(e) => void submit(e)}>
      <FieldFrame label="Title" hint="What it is for, in a few words." error={errors.title?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register('title')} />}
      </FieldFrame>
      <FieldFrame label="Description (optional)" hint="When to use it, what to bring, what to watch for." error={errors.description?.message}>
        {(ids) => <textarea {...ids} rows={4} {...register('description')} />}
      </FieldFrame>
      <StepBuilder control={control} register={register} errors={errors.steps} />
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        {procedureId ? 'Save the procedure' : 'Create the procedure'}
      </button>
    </form>
  );
}
