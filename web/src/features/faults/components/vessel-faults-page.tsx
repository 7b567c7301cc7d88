/**
 * `/vessels/:id/faults`: a vessel's faults from the replica (and those still on this device),
 * filtered by status (unresolved by default) and severity, worst first. `/faults`: the same for
 * every vessel the device holds.
 */
import '../../../components/maintenance.css';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { fieldsOf, textOf } from '../../../components/local-writes';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useReplicaRow } from '../../../sync/replica-queries';
import { FAULT_STATUSES, isUnresolved, SEVERITIES, useEquipmentNames, useFaults, type FaultStatus, type Severity } from '../api/faults';
import { FaultSummary } from './fault-summary';
import { SEVERITY_LABEL, STATUS_LABEL } from './fault-labels';

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The page. */
export function VesselFaultsPage() {
  const { id } = useParams();
  const vesselId = id?.toLowerCase() ?? null;
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'unresolved';
  const severity = params.get('severity') ?? 'any';
  const vessel = useReplicaRow('vessel', vesselId ?? '');
  const vesselName = vessel ? textOf(fieldsOf(vessel), 'name') : null;
  useDocumentTitle(vesselName ? `Faults on ${vesselName}` : 'Faults');
  const faults = useFaults();
  const names = useEquipmentNames();
  const titleId = useId();
  const filterId = useId();

  const shown = faults
    ?.filter((f) => vesselId === null || f.vesselId === vesselId)
    .filter((f) => (status === 'unresolved' ? isUnresolved(f.status) : status === 'all' || f.status === status))
    .filter((f) => severity === 'any' || f.severity === severity)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity]);

  function setFilter(name: string, value: string, fallback: string) {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  }

  return (
    <section className="faults" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Faults{vesselName ? ` on ${vesselName}` : ''}
      </h1>
      {id === undefined ? null : (
      <p className="button-row">
        <Link className="button" to={`/vessels/${encodeURIComponent(id)}/equipment`}>
          Equipment
        </Link>
        <Link className="button" to={`/vessels/${encodeURIComponent(id)}/requisitions`}>
          Requisitions
        </Link>
        <Link className="button" to={`/vessels/${encodeURIComponent(id)}/handover`}>
          Handover
        </Link>
      </p>
      )}
      <div className="card filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor={`${filterId}-status`}>Status</label>
          <select id={`${filterId}-status`} value={status} onChange={(e) => { setFilter('status', e.target.value, 'unresolved'); }}>
            <option value="unresolved">Needs work</option>
            <option value="all">All</option>
            {FAULT_STATUSES.map((s: FaultStatus) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${filterId}-severity`}>Severity</label>
          <select id={`${filterId}-severity`} value={severity} onChange={(e) => { setFilter('severity', e.target.value, 'any'); }}>
            <option value="any">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {shown === undefined ? (
        <p className="notice" role="status">
          Loading faults…
        </p>
      ) : shown.length === 0 ? (
        <p className="notice">No faults match.</p>
      ) : (
        <ul className="fault-list" aria-label="Faults">
          {shown.map((f) => (
            <FaultSummary key={f.id} fault={f} equipmentName={names?.get(f.equipmentId)} level={2} />
          ))}
        </ul>
      )}
    </section>
  );
}
