/**
 * `/vessels/:id/purchase-orders/new`, for managers (`parts.manage`): a purchase order from the
 * vessel's approved requisitions, picked with checkboxes, plus optional extra lines (a catalogue
 * part or one named); the supplier, whose currency the order takes unless changed; expected
 * delivery and a note for the supplier; a unit price per line, and the total as the server will
 * count it. Checked on the device (`api/order-form.ts`), queued as `create_purchase_order.v1`
 * with client-made UUIDv7s, so it works offline; the order's page then opens as a draft.
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { useId, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { useParts } from '../../../components/parts-catalogue';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { checkOrder, orderArgs, orderTotal, pricedLines, type ExtraLineValues, type OrderErrors, type OrderValues } from '../api/order-form';
import { formatMoney, moneyText } from '../api/prices';
import { CREATE_PURCHASE_ORDER, useRequisitions, useSuppliers, type Requisition } from '../api/purchasing';
import { useVesselName } from '../api/vessels';
import { NotYours } from './purchasing-page';
import { withUnit } from './purchasing-labels';

/** The page. */
export function OrderFormPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  useDocumentTitle('New purchase order');
  const requisitions = useRequisitions();
  const suppliers = useSuppliers();
  if (!may(user.role, 'parts.manage')) return <NotYours title="New purchase order" text="Managers make purchase orders." />;
  if (requisitions === undefined || suppliers === undefined) {
    return (
      <p className="notice" role="status">
        Loading…
      </p>
    );
  }
  const approved = requisitions.filter((r) => r.vesselId === vesselId && r.status === 'approved' && !r.refused);
  return <OrderForm vesselId={vesselId} approved={approved} />;
}

const newExtra = (): ExtraLineValues => ({ key: newRowId(), partId: '', partName: '', partNumber: '', unit: '', quantity: '', unitPrice: '' });

function OrderForm({ vesselId, approved }: { vesselId: string; approved: Requisition[] }) {
  const vesselName = useVesselName(vesselId);
  const suppliers = useSuppliers() ?? [];
  const parts = useParts() ?? [];
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const titleId = useId();
  const [orderId] = useState(newRowId);
  const [errors, setErrors] = useState<OrderErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [values, setValues] = useState<OrderValues>(() => ({
    supplierId: '',
    currency: 'EUR',
    expectedOn: '',
    note: '',
    requisitions: approved.map((r) => ({
      requisitionId: r.id,
      picked: false,
      unitPrice: r.prices?.supplierUnit !== undefined && r.prices.currency ? moneyText(r.prices.supplierUnit, r.prices.currency) : '',
    })),
    extras: [],
  }));
  const byId = useMemo(() => new Map(approved.map((r) => [r.id, r])), [approved]);
  const total = orderTotal(pricedLines(values, byId));
  const set = (patch: Partial<OrderValues>) => {
    setValues((v) => ({ ...v, ...patch }));
  };
  const setExtra = (i: number, patch: Partial<ExtraLineValues>) => {
    setValues((v) => ({ ...v, extras: v.extras.map((e, j) => (j === i ? { ...e, ...patch } : e)) }));
  };

  async function submit() {
    const found = checkOrder(values);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await enqueue(CREATE_PURCHASE_ORDER, orderArgs(vesselId, orderId, values, newRowId), null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The order could not be kept on this device.');
      setBusy(false);
      return;
    }
    await navigate(`/purchase-orders/${encodeURIComponent(orderId)}`);
  }

  return (
    <section className="buy card" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/purchase-orders`}>Purchase orders{vesselName ? ` for ${vesselName}` : ''}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        New purchase order{vesselName ? ` for ${vesselName}` : ''}
      </h1>
      <form
        className="buy-form"
        aria-labelledby={titleId}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FieldFrame label="Supplier" error={errors.supplierId}>
          {(p) => (
            <select
              {...p}
              value={values.supplierId}
              onChange={(e) => {
                const supplier = suppliers.find((s) => s.id === e.target.value);
                set({ supplierId: e.target.value, ...(supplier ? { currency: supplier.currency } : {}) });
              }}
            >
              <option value="">Choose a supplier</option>
              {suppliers
                .filter((s) => !s.refused)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.currency})
                  </option>
                ))}
            </select>
          )}
        </FieldFrame>
        {suppliers.length === 0 ? (
          <p className="field__hint">
            No suppliers yet: <Link to="/suppliers/new">add one</Link> first.
          </p>
        ) : null}
        <FieldFrame label="Currency" hint="The supplier’s, unless it quoted in another." error={errors.currency}>
          {(p) => (
            <input
              {...p}
              value={values.currency}
              maxLength={3}
              autoComplete="off"
              onChange={(e) => {
                set({ currency: e.target.value.toUpperCase() });
              }}
            />
          )}
        </FieldFrame>
        <FieldFrame label="Expected delivery (optional)">
          {(p) => (
            <input
              {...p}
              type="date"
              value={values.expectedOn}
              onChange={(e) => {
                set({ expectedOn: e.target.value });
              }}
            />
          )}
        </FieldFrame>
        <FieldFrame label="Note for the supplier (optional)" hint="Delivery instructions, printed on the order.">
          {(p) => (
            <textarea
              {...p}
              rows={3}
              maxLength={1000}
              value={values.note}
              onChange={(e) => {
                set({ note: e.target.value });
              }}
            />
          )}
        </FieldFrame>
        <fieldset>
          <legend>Approved requisitions</legend>
          {approved.length === 0 ? <p className="notice">No approved requisitions waiting on this vessel.</p> : null}
          {approved.map((r, i) => {
            const line = values.requisitions[i];
            if (!line) return null;
            return (
              <div key={r.id} className="buy-pick">
                <div className="checkbox">
                  <input
                    id={`pick-${r.id}`}
                    type="checkbox"
                    checked={line.picked}
                    onChange={(e) => {
                      set({ requisitions: values.requisitions.map((x, j) => (j === i ? { ...x, picked: e.target.checked } : x)) });
                    }}
                  />
                  <label htmlFor={`pick-${r.id}`}>
                    {r.partNumber ? `${r.partNumber} ` : ''}
                    {r.partName} · {withUnit(r.quantity, r.unit)}
                  </label>
                </div>
                {line.picked ? (
                  <FieldFrame label={`Unit price of ${r.partName} (${values.currency})`} error={errors[`requisitions.${i.toString()}.unitPrice`]}>
                    {(p) => (
                      <input
                        {...p}
                        inputMode="decimal"
                        autoComplete="off"
                        value={line.unitPrice}
                        onChange={(e) => {
                          set({ requisitions: values.requisitions.map((x, j) => (j === i ? { ...x, unitPrice: e.target.value } : x)) });
                        }}
                      />
                    )}
                  </FieldFrame>
                ) : null}
              </div>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>Other lines</legend>
          {values.extras.map((e, i) => {
            const at = (field: string) => errors[`extras.${i.toString()}.${field}`];
            const n = (i + 1).toString();
            return (
              <div key={e.key} className="buy-pick">
                <FieldFrame label={`Line ${n}: part`}>
                  {(p) => (
                    <select
                      {...p}
                      value={e.partId}
                      onChange={(ev) => {
                        setExtra(i, { partId: ev.target.value });
                      }}
                    >
                      <option value="">Not in the catalogue (name it)</option>
                      {parts
                        .filter((part) => !part.refused)
                        .map((part) => (
                          <option key={part.id} value={part.id}>
                            {part.number} {part.name} ({part.unit})
                          </option>
                        ))}
                    </select>
                  )}
                </FieldFrame>
                {e.partId === '' ? (
                  <>
                    <FieldFrame label={`Line ${n}: name`} error={at('partName')}>
                      {(p) => (
                        <input
                          {...p}
                          autoComplete="off"
                          value={e.partName}
                          onChange={(ev) => {
                            setExtra(i, { partName: ev.target.value });
                          }}
                        />
                      )}
                    </FieldFrame>
                    <FieldFrame label={`Line ${n}: part number (optional)`}>
                      {(p) => (
                        <input
                          {...p}
                          autoComplete="off"
                          value={e.partNumber}
                          onChange={(ev) => {
                            setExtra(i, { partNumber: ev.target.value });
                          }}
                        />
                      )}
                    </FieldFrame>
                    <FieldFrame label={`Line ${n}: unit (optional)`} hint="pcs when left empty.">
                      {(p) => (
                        <input
                          {...p}
                          autoComplete="off"
                          value={e.unit}
                          onChange={(ev) => {
                            setExtra(i, { unit: ev.target.value });
                          }}
                        />
                      )}
                    </FieldFrame>
                  </>
                ) : null}
                <FieldFrame label={`Line ${n}: quantity`} error={at('quantity')}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      autoComplete="off"
                      value={e.quantity}
                      onChange={(ev) => {
                        setExtra(i, { quantity: ev.target.value });
                      }}
                    />
                  )}
                </FieldFrame>
                <FieldFrame label={`Line ${n}: unit price (${values.currency})`} error={at('unitPrice')}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      autoComplete="off"
                      value={e.unitPrice}
                      onChange={(ev) => {
                        setExtra(i, { unitPrice: ev.target.value });
                      }}
                    />
                  )}
                </FieldFrame>
                <button
                  className="link-button"
                  type="button"
                  onClick={() => {
                    set({ extras: values.extras.filter((_, j) => j !== i) });
                  }}
                >
                  Remove line {n}
                </button>
              </div>
            );
          })}
          <button
            className="button"
            type="button"
            onClick={() => {
              set({ extras: [...values.extras, newExtra()] });
            }}
          >
            Add a line
          </button>
        </fieldset>
        <p className="buy-total" role="status">
          Total: {formatMoney(total.totalMinor, /^[A-Z]{3}$/.test(values.currency) ? values.currency : 'EUR')}
          {total.unpriced > 0 ? ` (${total.unpriced.toString()} ${total.unpriced === 1 ? 'line' : 'lines'} without a price)` : ''}
        </p>
        {errors.lines ? <p className="field__error">{errors.lines}</p> : null}
        {failure ? <p role="alert">{failure}</p> : null}
        {Object.keys(errors).length > 0 ? (
          <p role="alert" className="field__error">
            Some fields need another look.
          </p>
        ) : null}
        <button className="button button--primary" type="submit" disabled={busy}>
          Make the order
        </button>
        <p className="field__hint">It is kept as a draft; send it from its page.</p>
      </form>
    </section>
  );
}
