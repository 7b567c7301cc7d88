/**
 * `/vessels`: what the signed-in person looks after, one card each.
 */
import { Link } from 'react-router';
import type { VesselView } from '../../../api/types';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useVessels } from '../api/list-vessels';

const KIND_LABEL: Record<VesselView['kind'], string> = {
  vessel: 'Vessel',
  site: 'Shore site',
  project: 'Project',
};

/** The list of the person's vessels. */
export function VesselsPage() {
  useDocumentTitle('Vessels');
  const vessels = useVessels();

  return (
    <section className="vessels" aria-labelledby="vessels-title">
      <div className="vessels__heading">
        <h1 id="vessels-title">Vessels</h1>
        {vessels.status === 'success' ? (
          <p className="vessels__count">
            {vessels.data.length === 1 ? '1 vessel' : `${vessels.data.length} vessels`}
          </p>
        ) : null}
      </div>
      {vessels.status === 'pending' ? (
        <p className="notice" role="status">
          {/* Paused: the browser is offline, and the query runs when it is back. */}
          {vessels.paused ? 'You are offline: the vessels load when the connection returns.' : 'Loading vessels…'}
        </p>
      ) : null}
      {vessels.status === 'error' ? (
        <div className="alert" role="alert">
          <p>
            <strong>{vessels.error.problem.title}</strong>
            {vessels.error.problem.detail ? ` — ${vessels.error.problem.detail}` : null}
          </p>
          <button className="button" type="button" onClick={vessels.refetch}>
            Try again
          </button>
        </div>
      ) : null}
      {vessels.status === 'success' && vessels.data.length === 0 ? (
        <p className="notice">You are not assigned to any vessel yet. Ask your company’s admin to add you.</p>
      ) : null}
      {vessels.status === 'success' && vessels.data.length > 0 ? (
        <ul className="vessel-list" aria-label="Your vessels">
          {vessels.data.map((vessel) => (
            <VesselCard key={vessel.id} vessel={vessel} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function VesselCard({ vessel }: { vessel: VesselView }) {
  const titleId = `vessel-${vessel.id}`;
  return (
    <li className="card vessel-card" aria-labelledby={titleId}>
      <h2 id={titleId} className="vessel-card__name">
        {vessel.name}
      </h2>
      <dl className="vessel-card__facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABEL[vessel.kind]}</dd>
        </div>
        {vessel.vessel_type ? (
          <div>
            <dt>Type</dt>
            <dd>{vessel.vessel_type}</dd>
          </div>
        ) : null}
        {vessel.imo ? (
          <div>
            <dt>IMO</dt>
            <dd className="vessel-card__imo">{vessel.imo}</dd>
          </div>
        ) : null}
      </dl>
      <p className="vessel-card__links">
        <Link to={`/vessels/${encodeURIComponent(vessel.id)}/equipment`}>
          Equipment<span className="visually-hidden"> of {vessel.name}</span>
        </Link>
        <Link to={`/vessels/${encodeURIComponent(vessel.id)}/maintenance`}>
          Maintenance<span className="visually-hidden"> of {vessel.name}</span>
        </Link>
        <Link to={`/vessels/${encodeURIComponent(vessel.id)}/assignments`}>
          Assignments<span className="visually-hidden"> on {vessel.name}</span>
        </Link>
        <Link to={`/vessels/${encodeURIComponent(vessel.id)}/daily-reports`}>
          Daily reports<span className="visually-hidden"> on {vessel.name}</span>
        </Link>
      </p>
    </li>
  );
}
