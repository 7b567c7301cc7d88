/**
 * `/vessels/:id/parts-orders`: a vessel's parts orders, open ones first, with the moves the
 * person's role allows.
 */
import '../../../components/maintenance.css';
import { useId } from 'react';
import { Link, useParams } from 'react-router';

import { useDocumentTitle } from '../../../components/use-document-title';
import { useFaults } from '../api/faults';
import { usePartsOrders } from '../api/parts-orders';
import { PartsOrderList } from './parts-order-list';

const DONE = new Set(['received', 'cancelled']);

/** The page. */
export function VesselPartsOrdersPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  useDocumentTitle('Parts orders');
  const titleId = useId();
  const orders = usePartsOrders();
  const faults = useFaults();
  const faultVessel = new Map((faults ?? []).map((f) => [f.id, f.vesselId]));
  const shown = orders
    ?.filter((o) => (o.vesselId ?? faultVessel.get(o.faultId)) === vesselId)
    .sort((a, b) => Number(DONE.has(a.status)) - Number(DONE.has(b.status)));
  return (
    <section aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(id)}/faults`}>Faults on this vessel</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Parts orders
      </h1>
      {shown === undefined ? (
        <p className="notice" role="status">
          Loading parts orders…
        </p>
      ) : shown.length === 0 ? (
        <p className="notice">No parts orders on this vessel. Parts are ordered from a fault’s page.</p>
      ) : (
        <PartsOrderList orders={shown} label="Parts orders" />
      )}
    </section>
  );
}
