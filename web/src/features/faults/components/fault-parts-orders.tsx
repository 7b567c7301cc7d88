/**
 * A fault's parts orders, and ordering parts for it (`order_parts.v1`, `parts.request`): part,
 * number, quantity, supplier and the supplier's unit price with its currency.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import { newRowId, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { isUnresolved, type FaultItem } from '../api/faults';
import { usePartsOrders } from '../api/parts-orders';
import { PartsOrderList } from './parts-order-list';

export const orderSchema = z.object({
  part_name: z.string().trim().min(1, 'Name the part.').max(200, 'Keep the part name to 200 characters.'),
  part_number: z.string().trim().max(100, 'Keep the part number to 100 characters.'),
  quantity: z.coerce.number<string>().int('Order whole parts.').min(1, 'Order at least one.').max(1_000_000, 'At most 1,000,000.'),
  supplier: z.string().trim().min(1, 'Name the supplier.').max(200, 'Keep the supplier to 200 characters.'),
  unit_price: z.coerce.number<string>().min(0, 'A price cannot be negative.').max(10_000_000, 'At most 10,000,000.'),
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, 'Three letters, such as EUR.'),
});
type OrderForm = z.input<typeof orderSchema>;
type Order = z.output<typeof orderSchema>;

/** The section of the fault page. */
export function FaultPartsOrders({ fault }: { fault: FaultItem }) {
  const user = useSignedInUser();
  const titleId = useId();
  const orders = usePartsOrders()?.filter((o) => o.faultId === fault.id);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Parts orders
      </h2>
      {orders === undefined ? null : orders.length === 0 ? (
        <p className="notice">No parts ordered.</p>
      ) : (
        <PartsOrderList orders={orders} label="Parts orders for this fault" />
      )}
      {may(user.role, 'parts.request') && isUnresolved(fault.status) ? <OrderPartsForm faultId={fault.id} /> : null}
    </section>
  );
}

function OrderPartsForm({ faultId }: { faultId: string }) {
  const id = useId();
  const enqueue = useEnqueue();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<OrderForm, unknown, Order>({
    resolver: zodResolver(orderSchema),
    defaultValues: { part_name: '', part_number: '', quantity: '1', supplier: '', unit_price: '', currency: 'EUR' },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (o) => {
    setFailure(null);
    try {
      await enqueue(
        'order_parts.v1',
        {
          id: newRowId(),
          fault_id: faultId,
          part_name: o.part_name,
          part_number: o.part_number === '' ? null : o.part_number,
          quantity: o.quantity,
          supplier: o.supplier,
          supplier_unit_price_minor: Math.round(o.unit_price * 100),
          currency: o.currency.toUpperCase(),
        },
        null,
      );
      reset();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The order could not be kept on this device.');
    }
  });
  const field = (name: keyof OrderForm, label: string, inputMode?: 'numeric' | 'decimal') => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} inputMode={inputMode} aria-invalid={errors[name] ? true : undefined} {...register(name)} />
      {errors[name] ? <p role="alert">{errors[name].message}</p> : null}
    </div>
  );
  return (
    <form aria-label="Order parts" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Order parts</h3>
      {field('part_name', 'Part')}
      {field('part_number', 'Part number (optional)')}
      {field('quantity', 'Quantity', 'numeric')}
      {field('supplier', 'Supplier')}
      {field('unit_price', 'Supplier price per unit', 'decimal')}
      {field('currency', 'Currency')}
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Order parts
      </button>
    </form>
  );
}
