/**
 * `/purchasing`: where purchasing starts, for everyone who reads parts: each vessel on this
 * device with its requisitions and purchase orders, and the company's suppliers. From the replica,
 * so it opens offline.
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { Link } from 'react-router';

import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useVessels } from '../api/vessels';

/** The page. */
export function PurchasingPage() {
  useDocumentTitle('Purchasing');
  const user = useSignedInUser();
  const vessels = useVessels();
  if (!may(user.role, 'parts.read')) return <NotYours title="Purchasing" />;
  return (
    <section className="buy" aria-labelledby="purchasing-title">
      <h1 id="purchasing-title" className="page-title">
        Purchasing
      </h1>
      <section className="card" aria-labelledby="purchasing-vessels">
        <h2 id="purchasing-vessels" className="card__title">
          Vessels
        </h2>
        {vessels === undefined ? (
          <p className="notice" role="status">
            Loading…
          </p>
        ) : vessels.length === 0 ? (
          <p className="notice">No vessels on this device yet: they arrive with the first sync, once there is a connection.</p>
        ) : (
          <ul className="buy-list">
            {vessels.map((v) => (
              <li key={v.id}>
                <h3 className="buy-item__title">{v.name}</h3>
                <p className="buy-links">
                  <Link to={`/vessels/${encodeURIComponent(v.id)}/requisitions`}>
                    Requisitions<span className="visually-hidden"> on {v.name}</span>
                  </Link>
                  <Link to={`/vessels/${encodeURIComponent(v.id)}/purchase-orders`}>
                    Purchase orders<span className="visually-hidden"> for {v.name}</span>
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="buy-links">
        <Link to="/suppliers">Suppliers</Link>
      </p>
    </section>
  );
}

/** What a page says to a role it is not for. */
export function NotYours({ title, text = 'Your role does not read parts and purchasing.' }: { title: string; text?: string }) {
  return (
    <section className="card">
      <h1 className="page-title">{title}</h1>
      <p className="notice">{text}</p>
    </section>
  );
}
