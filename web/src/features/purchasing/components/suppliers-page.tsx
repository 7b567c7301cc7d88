/**
 * `/suppliers`: the company's suppliers by name (contact, e-mail, telephone, address, the
 * currency they invoice in), with "Add supplier" and "Edit" for managers (`parts.manage`). From
 * the replica and the outbox: one added or edited offline shows at once, "on this device".
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { useId } from 'react';
import { Link } from 'react-router';

import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useSuppliers, type Supplier } from '../api/purchasing';
import { NotYours } from './purchasing-page';
import { PendingWrites } from './purchasing-labels';

/** The page. */
export function SuppliersPage() {
  useDocumentTitle('Suppliers');
  const user = useSignedInUser();
  const suppliers = useSuppliers();
  const titleId = useId();
  if (!may(user.role, 'parts.read')) return <NotYours title="Suppliers" />;
  const writes = may(user.role, 'parts.manage');
  return (
    <section className="buy" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/purchasing">Purchasing</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Suppliers
      </h1>
      {writes ? (
        <p className="buy-links">
          <Link className="button button--primary" to="/suppliers/new">
            Add supplier
          </Link>
        </p>
      ) : null}
      {suppliers === undefined ? (
        <p className="notice" role="status">
          Loading suppliers…
        </p>
      ) : suppliers.length === 0 ? (
        <p className="notice">No suppliers yet.</p>
      ) : (
        <ul className="buy-list" aria-label="Suppliers">
          {suppliers.map((s) => (
            <SupplierItem key={s.id} supplier={s} editable={writes} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SupplierItem({ supplier: s, editable }: { supplier: Supplier; editable: boolean }) {
  const titleId = useId();
  return (
    <li className="buy-item" aria-labelledby={titleId}>
      <h2 id={titleId} className="buy-item__title">
        {s.name}
      </h2>
      <dl className="buy-item__facts">
        <div>
          <dt>Currency</dt>
          <dd>{s.currency}</dd>
        </div>
        {s.contact ? (
          <div>
            <dt>Contact</dt>
            <dd>{s.contact}</dd>
          </div>
        ) : null}
        {s.email ? (
          <div>
            <dt>E-mail</dt>
            <dd>
              <a href={`mailto:${s.email}`}>{s.email}</a>
            </dd>
          </div>
        ) : null}
        {s.phone ? (
          <div>
            <dt>Telephone</dt>
            <dd>
              <a href={`tel:${s.phone.replace(/\s/g, '')}`}>{s.phone}</a>
            </dd>
          </div>
        ) : null}
        {s.address ? (
          <div>
            <dt>Address</dt>
            <dd className="buy-address">{s.address}</dd>
          </div>
        ) : null}
      </dl>
      <PendingWrites writes={s.pending} label={`Changes to ${s.name} not yet accepted`} />
      {editable && !s.refused ? (
        <p className="buy-links">
          <Link to={`/suppliers/${encodeURIComponent(s.id)}/edit`}>
            Edit<span className="visually-hidden"> {s.name}</span>
          </Link>
        </p>
      ) : null}
    </li>
  );
}
