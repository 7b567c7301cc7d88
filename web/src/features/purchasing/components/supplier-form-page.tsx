/**
 * `/suppliers/new` and `/suppliers/:id/edit`, for managers (`parts.manage`): a supplier's name,
 * contact, e-mail, telephone, postal address (several lines, printed on orders) and the currency
 * it invoices in, checked as the server checks them (a name no other supplier has). Queued as
 * `create_supplier.v1` with a client-made UUIDv7 or `update_supplier.v1` on the version read, so
 * it works offline; the list then shows it "on this device".
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';

import { FieldFrame, TextField } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { CREATE_SUPPLIER, UPDATE_SUPPLIER, useSuppliers, type Supplier } from '../api/purchasing';
import { supplierFields, supplierSchema } from '../api/supplier-form';
import { NotYours } from './purchasing-page';

/** The page: a new supplier, or an edit of `:id`. */
export function SupplierFormPage() {
  const { id } = useParams();
  const user = useSignedInUser();
  const suppliers = useSuppliers();
  useDocumentTitle(id === undefined ? 'Add supplier' : 'Edit supplier');
  if (!may(user.role, 'parts.manage')) return <NotYours title="Suppliers" text="Managers add and edit suppliers." />;
  if (suppliers === undefined) {
    return (
      <p className="notice" role="status">
        Loading suppliers…
      </p>
    );
  }
  const supplier = id === undefined ? null : (suppliers.find((s) => s.id === id.toLowerCase()) ?? null);
  if (id !== undefined && supplier === null) return <NotYours title="Edit supplier" text="This device does not hold that supplier." />;
  return <SupplierForm supplier={supplier} others={suppliers.filter((s) => s.id !== supplier?.id && !s.refused)} />;
}

function SupplierForm({ supplier, others }: { supplier: Supplier | null; others: Supplier[] }) {
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const [newId] = useState(newRowId);
  const [failure, setFailure] = useState<string | null>(null);
  const titleId = useId();
  const schema = supplierSchema(others);
  const { register, handleSubmit, formState } = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: supplier?.name ?? '',
      contact: supplier?.contact ?? '',
      email: supplier?.email ?? '',
      phone: supplier?.phone ?? '',
      address: supplier?.address ?? '',
      currency: supplier?.currency ?? 'EUR',
    },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      if (supplier === null) await enqueue(CREATE_SUPPLIER, { id: newId, ...supplierFields(values) }, null);
      else
        await enqueue(
          UPDATE_SUPPLIER,
          { supplier_id: supplier.id, ...supplierFields(values) },
          supplier.version,
        );
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The supplier could not be kept on this device.');
      return;
    }
    await navigate('/suppliers');
  });
  return (
    <section className="buy card" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/suppliers">Suppliers</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {supplier === null ? 'Add supplier' : `Edit ${supplier.name}`}
      </h1>
      <form className="buy-form" aria-labelledby={titleId} noValidate onSubmit={(e) => void submit(e)}>
        <TextField label="Name" error={errors.name?.message} registration={register('name')} autoComplete="organization" />
        <TextField label="Contact person (optional)" error={errors.contact?.message} registration={register('contact')} autoComplete="name" />
        <TextField label="E-mail for orders (optional)" type="email" error={errors.email?.message} registration={register('email')} autoComplete="email" />
        <TextField label="Telephone (optional)" type="tel" error={errors.phone?.message} registration={register('phone')} autoComplete="tel" />
        <FieldFrame label="Postal address (optional)" hint="Several lines; printed on orders." error={errors.address?.message}>
          {(ids) => <textarea {...ids} rows={4} autoComplete="street-address" {...register('address')} />}
        </FieldFrame>
        <TextField
          label="Currency"
          hint="The currency it invoices in (ISO 4217, e.g. EUR, USD, NOK); orders default to it."
          error={errors.currency?.message}
          registration={register('currency')}
          autoComplete="off"
        />
        {failure ? <p role="alert">{failure}</p> : null}
        <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
          {supplier === null ? 'Add supplier' : 'Save'}
        </button>
      </form>
    </section>
  );
}
