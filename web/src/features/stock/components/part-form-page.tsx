/**
 * `/catalogue/new` and `/catalogue/:partId/edit`, for roles with `catalogue.write`: a part's
 * number, name, maker, unit and whether it is a critical spare. A number the catalogue already
 * holds (compared as the server compares them: case, spaces, `-`, `.` and `/` aside) is refused
 * here, before the server's `part_number_taken`. A new part is queued as `create_part.v1` with a
 * client-made UUIDv7; an edit as `update_part.v1`, which replaces the fields whole (its
 * equivalents kept). Both show at once, "on this device".
 *
 * An edit's base version is the part's replica version as it was when the form was filled, kept
 * with the values it was filled from, its equivalents among them (as the work order edit keeps
 * it): the server decides each field against that base, so a change synced in while the form
 * was open is never overwritten by the older copy the form holds. Saved once, the form stays
 * open on the same base: what it holds is still that copy and the person's changes.
 */
import '../../../components/maintenance.css';
import './stock.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams, useSearchParams } from 'react-router';
import { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { CREATE_PART, partWithNumber, UPDATE_PART, useParts, type PartItem } from '../../../components/parts-catalogue';
import { PendingWrites } from './stock-labels';

/** The fields' own rules; the number's uniqueness is checked against the catalogue on top. */
const fields = z.object({
  number: z.string().trim().min(1, 'Give the part number.').max(80, 'Keep the part number to 80 characters.'),
  name: z.string().trim().min(1, 'Name the part.').max(200, 'Keep the name to 200 characters.'),
  maker: z.string().trim().max(200, 'Keep the maker to 200 characters.'),
  unit: z.string().trim().min(1, 'Give the unit it is counted in, e.g. pcs, l or m.').max(20, 'Keep the unit to 20 characters.'),
  critical: z.boolean(),
});

/** The form's rules, with the catalogue the number must not already be in (`editing` aside). */
export function partSchema(parts: readonly PartItem[], editing: string | null) {
  return fields.superRefine((v, ctx) => {
    const taken = partWithNumber(parts, v.number, editing);
    if (taken) {
      ctx.addIssue({
        code: 'custom',
        path: ['number'],
        message: `The catalogue already has this number: ${taken.number} ${taken.name}.`,
      });
    }
  });
}
type PartForm = z.input<typeof fields>;
type Part = z.output<typeof fields>;

/** The page. */
export function PartFormPage() {
  const { partId } = useParams();
  const [params] = useSearchParams();
  const user = useSignedInUser();
  const parts = useParts();
  const titleId = useId();
  const editing = partId === undefined ? null : (parts?.find((p) => p.id === partId.toLowerCase()) ?? null);
  const heading = partId === undefined ? 'New part' : 'Edit part';
  useDocumentTitle(heading);
  const vessel = params.get('vessel');
  const back =
    vessel !== null && partId !== undefined
      ? { to: `/vessels/${encodeURIComponent(vessel)}/stock/parts/${encodeURIComponent(partId)}`, label: 'Back to the part' }
      : { to: `/catalogue${vessel !== null ? `?vessel=${encodeURIComponent(vessel)}` : ''}`, label: 'Catalogue' };

  let body;
  if (!may(user.role, 'catalogue.write')) {
    body = <p className="notice">Your role reads the catalogue but does not change it.</p>;
  } else if (parts === undefined) {
    body = (
      <p className="notice" role="status">
        Loading the catalogue…
      </p>
    );
  } else if (partId !== undefined && editing === null) {
    body = <p className="notice">That part is not in the catalogue on this device: it may have been removed, or not synced yet.</p>;
  } else if (editing && editing.version === null) {
    body = (
      <>
        <PendingWrites writes={editing.pending} label="Changes to the part not yet accepted" />
        <p className="notice">The new part is still on this device; it can be edited once the server has it.</p>
      </>
    );
  } else {
    body = <PartFields key={editing?.id ?? 'new'} parts={parts} editing={editing} />;
  }
  return (
    <article className="stock" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {editing ? `Edit ${editing.number} ${editing.name}` : heading}
      </h1>
      {body}
    </article>
  );
}

const blank: PartForm = { number: '', name: '', maker: '', unit: 'pcs', critical: false };

function PartFields({ parts, editing }: { parts: readonly PartItem[]; editing: PartItem | null }) {
  const enqueue = useEnqueue();
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const editingId = editing?.id ?? null;
  const schema = useMemo(() => partSchema(parts, editingId), [parts, editingId]);
  // The form starts from the part as it was when opened, and its version and equivalents with
  // it: a sync meanwhile resets none of them (see the module's note).
  const [opened] = useState(() =>
    editing
      ? {
          fields: { number: editing.number, name: editing.name, maker: editing.maker ?? '', unit: editing.unit, critical: editing.critical },
          equivalents: editing.equivalents,
          version: editing.version,
        }
      : null,
  );
  const { register, handleSubmit, formState, reset } = useForm<PartForm, unknown, Part>({
    resolver: zodResolver(schema),
    defaultValues: opened?.fields ?? blank,
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (part) => {
    setFailure(null);
    setDone(null);
    const values = { number: part.number, name: part.name, maker: part.maker === '' ? null : part.maker, unit: part.unit, critical: part.critical };
    try {
      if (editingId !== null && opened) {
        await enqueue(UPDATE_PART, { part_id: editingId, ...values, equivalents: opened.equivalents }, opened.version);
      } else {
        await enqueue(CREATE_PART, { id: newRowId(), ...values }, null);
      }
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The part could not be kept on this device.');
      return;
    }
    const kept = 'It is kept on this device and sent as soon as there is a connection.';
    if (editing) {
      setDone(`Changes to ${part.number} saved. ${kept}`);
      reset(part);
    } else {
      setDone(`${part.number} ${part.name} is added to the catalogue. ${kept}`);
      reset(blank);
    }
  });
  return (
    <form className="card stock-form" aria-label={editing ? 'Edit part' : 'New part'} noValidate onSubmit={(e) => void submit(e)}>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      {editing ? <PendingWrites writes={editing.pending} label="Changes to the part not yet accepted" /> : null}
      <FieldFrame label="Part number" hint="As the maker writes it, e.g. HF-6553." error={errors.number?.message}>
        {(ids) => <input {...ids} autoComplete="off" autoCapitalize="characters" {...register('number')} />}
      </FieldFrame>
      <FieldFrame label="Name" error={errors.name?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register('name')} />}
      </FieldFrame>
      <FieldFrame label="Maker (optional)" error={errors.maker?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register('maker')} />}
      </FieldFrame>
      <FieldFrame label="Unit" hint="What it is counted in: pcs, l, m, kg…" error={errors.unit?.message}>
        {(ids) => <input {...ids} autoComplete="off" autoCapitalize="none" {...register('unit')} />}
      </FieldFrame>
      <label className="checkbox">
        <input type="checkbox" {...register('critical')} /> Critical spare: the vessel must not run out of it
      </label>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        {editing ? 'Save part' : 'Add part'}
      </button>
    </form>
  );
}
