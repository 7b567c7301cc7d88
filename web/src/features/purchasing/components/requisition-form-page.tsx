/**
 * `/vessels/:id/requisitions/new` (`?fault=`, `?work_order=`): "Request a part", for roles with
 * `parts.request`: a catalogue part (narrowed by a search) or one not in the catalogue (its name,
 * number and unit), how many, needed by, a note; roles that read supplier prices may propose a
 * supplier and its price. Reached from a fault's or a work order's page, it serves that fault or
 * order. Queued as `raise_requisition.v1` with a client-made UUIDv7, so it works offline; the
 * requisition's page then opens, "on this device" until the server has it.
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';

import { FieldFrame, TextField } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { partMatches, useParts } from '../../../components/parts-catalogue';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { RAISE_REQUISITION, useSuppliers } from '../api/purchasing';
import { requisitionArgs, requisitionSchema, UNLISTED } from '../api/requisition-form';
import { useVesselName } from '../api/vessels';
import { NotYours } from './purchasing-page';

/** The page. */
export function RequisitionFormPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const vesselName = useVesselName(vesselId);
  useDocumentTitle('Request a part');
  if (!may(user.role, 'parts.request')) return <NotYours title="Request a part" text="Your role does not request parts." />;
  return <RequisitionForm vesselId={vesselId} vesselName={vesselName} />;
}

function RequisitionForm({ vesselId, vesselName }: { vesselId: string; vesselName: string | null }) {
  const user = useSignedInUser();
  const [params] = useSearchParams();
  const faultId = params.get('fault')?.toLowerCase() ?? null;
  const workOrderId = params.get('work_order')?.toLowerCase() ?? null;
  const navigate = useNavigate();
  const enqueue = useEnqueue();
  const parts = useParts();
  const suppliers = useSuppliers();
  const [requisitionId] = useState(newRowId);
  const [failure, setFailure] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const searchId = useId();
  const titleId = useId();
  const givesPrice = may(user.role, 'price.supplier.read');
  const [supplierId, setSupplierId] = useState('');
  const currency = suppliers?.find((s) => s.id === supplierId)?.currency ?? null;
  const schema = requisitionSchema(currency);
  const { register, handleSubmit, formState, control } = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { part_id: '', part_name: '', part_number: '', unit: '', quantity: '', needed_by: '', note: '', supplier_id: '', unit_price: '' },
  });
  const partId = useWatch({ control, name: 'part_id' });
  const errors = formState.errors;
  const choices = useMemo(
    () => (parts ?? []).filter((p) => !p.refused && (search.trim() === '' || p.id === partId || partMatches(p, search))).slice(0, 300),
    [parts, search, partId],
  );

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await enqueue(RAISE_REQUISITION, requisitionArgs(requisitionId, vesselId, values, { faultId, workOrderId }, currency), null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The requisition could not be kept on this device.');
      return;
    }
    await navigate(`/requisitions/${encodeURIComponent(requisitionId)}`);
  });

  return (
    <section className="buy card" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/requisitions`}>Requisitions{vesselName ? ` on ${vesselName}` : ''}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Request a part{vesselName ? ` for ${vesselName}` : ''}
      </h1>
      {faultId ? <p className="notice">For the fault it was opened from.</p> : null}
      {workOrderId ? <p className="notice">For the work order it was opened from.</p> : null}
      <form className="buy-form" aria-labelledby={titleId} noValidate onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={searchId}>Find a catalogue part</label>
          <input
            id={searchId}
            type="search"
            value={search}
            autoComplete="off"
            onChange={(e) => {
              setSearch(e.target.value);
            }}
          />
          <p className="field__hint">Number, name or maker; narrows the list below.</p>
        </div>
        <FieldFrame label="Part" error={errors.part_id?.message}>
          {(ids) => (
            <select {...ids} {...register('part_id')}>
              <option value="">{parts === undefined ? 'Loading the catalogue…' : 'Choose a part'}</option>
              <option value={UNLISTED}>Not in the catalogue (name it below)</option>
              {choices.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.number} {p.name} ({p.unit})
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        {partId === UNLISTED ? (
          <fieldset>
            <legend>The part not in the catalogue</legend>
            <TextField label="Name" error={errors.part_name?.message} registration={register('part_name')} autoComplete="off" />
            <TextField label="Part number (optional)" error={errors.part_number?.message} registration={register('part_number')} autoComplete="off" />
            <TextField label="Unit (optional)" hint="pcs when left empty." error={errors.unit?.message} registration={register('unit')} autoComplete="off" />
          </fieldset>
        ) : null}
        <TextField
          label="Quantity"
          hint="Up to 3 decimals, e.g. 2.5."
          error={errors.quantity?.message}
          registration={register('quantity')}
          inputMode="decimal"
          autoComplete="off"
        />
        <TextField label="Needed by (optional)" type="date" error={errors.needed_by?.message} registration={register('needed_by')} />
        <FieldFrame label="Note (optional)" error={errors.note?.message}>
          {(ids) => <textarea {...ids} rows={3} {...register('note')} />}
        </FieldFrame>
        {givesPrice ? (
          <fieldset>
            <legend>Supplier and price (optional)</legend>
            <FieldFrame label="Supplier" error={errors.supplier_id?.message}>
              {(ids) => (
                <select
                  {...ids}
                  {...register('supplier_id', {
                    onChange: (e: { target: { value: string } }) => {
                      setSupplierId(e.target.value);
                    },
                  })}
                >
                  <option value="">None proposed</option>
                  {(suppliers ?? [])
                    .filter((s) => !s.refused)
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} ({s.currency})
                      </option>
                    ))}
                </select>
              )}
            </FieldFrame>
            <TextField
              label={`Supplier price per unit${currency ? ` (${currency})` : ''}`}
              error={errors.unit_price?.message}
              registration={register('unit_price')}
              inputMode="decimal"
              autoComplete="off"
            />
          </fieldset>
        ) : null}
        {failure ? <p role="alert">{failure}</p> : null}
        <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
          Request
        </button>
        <p className="field__hint">It is kept on this device and sent as soon as there is a connection.</p>
      </form>
    </section>
  );
}
