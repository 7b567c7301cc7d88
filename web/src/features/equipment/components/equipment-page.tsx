/**
 * `/equipment/:id`: one item of equipment — what it is, whether it runs, what went wrong with it
 * (faults reported on this device included, marked until the server accepts them), its photos
 * and its running hours (its own meter's, or its parent's when linked to it). Scanning the
 * item's QR label lands here.
 */
import './equipment.css';
import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { EquipmentDetailView } from '../../../api/types';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import { PhotoGallery } from '../../../photos/photo-gallery';
import { useSignedInRole } from '../../../session/session-context';
import { isRepaired, READINGS_SHOWN, useEquipment, useRepairTimes } from '../api/get-equipment';
import { useMeterLink } from '../api/meter-links';
import { useShownReadings } from '../api/readings';
import { useShownFaults, type ShownFault } from '../api/shown-faults';
import { ItemDocuments } from './item-documents';
import { LinkedChildren, MeterLinkStatus, ReadingsFromParent } from './meter-link';
import { RecordReadingForm } from './record-reading-form';
import { formatDate, formatDateTime, formatDuration, formatHours, wordFor } from './equipment-labels';
import { StatusBadge } from './status-badge';

/** The item's page. */
export function EquipmentPage() {
  const { id = '' } = useParams();
  const equipment = useEquipment(id);
  const item = equipment.status === 'success' ? equipment.data : undefined;
  useDocumentTitle(item?.name ?? 'Equipment');
  const repairTimes = useRepairTimes(item);

  if (equipment.status === 'pending') {
    return (
      <p className="notice" role="status">
        Loading equipment…
      </p>
    );
  }
  if (equipment.status === 'error') {
    if (equipment.error.status === 404) {
      return (
        <section className="equipment" aria-labelledby="equipment-missing">
          <h1 id="equipment-missing" className="page-title">
            Equipment not found
          </h1>
          <p className="notice">
            It may have been removed, or it belongs to a vessel you are not assigned to.{' '}
            <Link to="/vessels">Go to your vessels</Link>
          </p>
        </section>
      );
    }
    return <ProblemAlert error={equipment.error} onRetry={equipment.refetch} />;
  }
  return <EquipmentDetails item={equipment.data} repairTimes={repairTimes} />;
}

function EquipmentDetails({ item, repairTimes }: { item: EquipmentDetailView; repairTimes: Map<string, number> }) {
  const criticalFaultOpen =
    item.status !== 'down' || item.faults.some((f) => f.severity === 'critical' && !isRepaired(f));
  return (
    <article className="equipment" aria-labelledby="equipment-title">
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(item.vessel_id)}/equipment`}>All equipment on this vessel</Link>
      </p>
      <div className="card equipment__header">
        <p className="equipment__kicker">
          {wordFor(item.level)} · {wordFor(item.area)}
        </p>
        <h1 id="equipment-title" className="equipment__name">
          {item.name}
        </h1>
        <StatusBadge item={item} criticalFaultOpen={criticalFaultOpen} />
      </div>

      <div className="equipment__sections">
        <Facts item={item} />
        <Faults item={item} repairTimes={repairTimes} />
        <Specs specs={item.specs} />
        <PhotoGallery parentKind="equipment" parentId={item.id} vesselId={item.vessel_id} />
        <Readings item={item} />
        <ItemDocuments equipmentId={item.id} />
      </div>
    </article>
  );
}

function Facts({ item }: { item: EquipmentDetailView }) {
  const titleId = useId();
  const facts: [string, ReactNode][] = [
    ['Level', wordFor(item.level)],
    ['Area', wordFor(item.area)],
  ];
  if (item.equipment_type) facts.push(['Type', item.equipment_type]);
  facts.push(
    ['Maker', item.maker ?? '—'],
    ['Model', item.model ?? '—'],
    ['Serial number', item.serial_number ?? '—'],
    ['Criticality', <span className={`level level--${item.criticality}`}>{wordFor(item.criticality)}</span>],
    ['Status', wordFor(item.effective_status)],
    ['Recorded status', wordFor(item.status)],
    ['Running hours', item.running_hours == null ? 'No readings yet' : formatHours(item.running_hours)],
  );
  if (item.parent_id) facts.push(['Part of', <ParentLink id={item.parent_id} />]);
  facts.push(
    ['Label code', <span className="equipment__code">{item.qr_code}</span>],
    [
      'QR label',
      <Link to={`/vessels/${encodeURIComponent(item.vessel_id)}/labels?items=${encodeURIComponent(item.id)}`}>
        Print its label
      </Link>,
    ],
  );

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Details
      </h2>
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A link to the item above, named once it is known. */
function ParentLink({ id }: { id: string }) {
  const parent = useEquipment(id);
  return (
    <Link to={`/equipment/${encodeURIComponent(id)}`}>
      {parent.status === 'success' ? parent.data.name : 'The item above'}
    </Link>
  );
}

function Faults({ item, repairTimes }: { item: EquipmentDetailView; repairTimes: Map<string, number> }) {
  const titleId = useId();
  const faults = useShownFaults(item.id, item.faults);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Faults
      </h2>
      {faults.length === 0 ? (
        <p className="notice">No faults reported.</p>
      ) : (
        <ul className="fault-list" aria-labelledby={titleId}>
          {faults.map((fault) => (
            <FaultRow key={fault.id} fault={fault} repairSeconds={repairTimes.get(fault.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FaultRow({ fault, repairSeconds }: { fault: ShownFault; repairSeconds: number | undefined }) {
  const titleId = useId();
  return (
    <li className={`fault fault--${fault.severity}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="fault__title">
        {fault.title}
      </h3>
      <dl className="fault__facts">
        <div>
          <dt>Severity</dt>
          <dd>
            <span className={`level level--${fault.severity}`}>{wordFor(fault.severity)}</span>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{wordFor(fault.status)}</dd>
        </div>
        <div>
          <dt>Observed</dt>
          <dd>
            <time dateTime={fault.observed_at}>{formatDate(fault.observed_at)}</time>
          </dd>
        </div>
        {repairSeconds === undefined ? null : (
          <div>
            <dt>Repair time</dt>
            <dd>{formatDuration(repairSeconds)}</dd>
          </div>
        )}
        {fault.pending ? (
          <div>
            <dt>Sync</dt>
            <dd>
              <PendingMark write={fault.pending} />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

const RunningHoursChart = lazy(() => import('./running-hours-chart').then((m) => ({ default: m.RunningHoursChart })));

function Readings({ item }: { item: EquipmentDetailView }) {
  const titleId = useId();
  const role = useSignedInRole();
  const [showAll, setShowAll] = useState(false);
  const readings = useShownReadings(item.id, item.readings);
  const newestFirst = [...readings].sort((a, b) => b.read_at.localeCompare(a.read_at));
  const shown = showAll ? newestFirst : newestFirst.slice(0, READINGS_SHOWN);
  const counted = readings.filter((r) => !Number.isNaN(r.total));
  // The API sends the latest few; the replica holds them all.
  const held = Math.max(item.readings_total, item.readings.length);
  const mayRecord = role !== null && may(role, 'reading.record') && item.status !== 'decommissioned';
  const meter = useMeterLink(item);
  const linkedTo = meter.link ? item.parent_id : null;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Running hours
      </h2>
      {item.parent_id ? (
        <MeterLinkStatus
          item={item}
          state={meter}
          hours={counted.at(-1)?.total ?? null}
          mayWrite={role !== null && may(role, 'equipment.write')}
        />
      ) : null}
      <LinkedChildren item={item} />
      {counted.length > 1 ? (
        <Suspense fallback={<p className="notice">Drawing the chart…</p>}>
          <RunningHoursChart readings={counted} />
        </Suspense>
      ) : null}
      {shown.length === 0 ? (
        <p className="notice">No running-hour readings recorded.</p>
      ) : (
        <>
          <table className="readings" aria-label="Latest readings">
            <thead>
              <tr>
                <th scope="col">Read</th>
                <th scope="col" className="readings__hours">
                  Meter hours
                </th>
                <th scope="col" className="readings__hours">
                  Running hours
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((reading) => (
                <tr key={reading.id}>
                  <td>
                    <time dateTime={reading.read_at}>{formatDateTime(reading.read_at)}</time>
                    {reading.meter_replaced ? <span className="readings__note"> · new meter</span> : null}
                    {reading.pending ? <span className="readings__pending"> · {reading.pending}</span> : null}
                  </td>
                  <td className="readings__hours">{formatHours(reading.hours)}</td>
                  <td className="readings__hours">{Number.isNaN(reading.total) ? '—' : formatHours(reading.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="readings__count">
            {held > readings.length
              ? `The latest ${shown.length} of ${held} readings.`
              : shown.length < readings.length
                ? `The latest ${shown.length} of ${plural(readings.length, 'reading')}`
                : plural(readings.length, 'reading')}
          </p>
          {!showAll && readings.length > shown.length ? (
            <button className="button" type="button" onClick={() => { setShowAll(true); }}>
              Show all {readings.length} readings
            </button>
          ) : null}
        </>
      )}
      {mayRecord && linkedTo ? <ReadingsFromParent parentId={linkedTo} /> : null}
      {mayRecord && !linkedTo ? <RecordReadingForm equipmentId={item.id} readings={readings} /> : null}
    </section>
  );
}

/** The item's specifications, each key in words ("rated_power_kw" → "Rated power kw"). */
function Specs({ specs }: { specs: Record<string, unknown> }) {
  const titleId = useId();
  const entries = Object.entries(specs).filter(([, v]) => v !== null && v !== '');
  if (entries.length === 0) return null;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Specifications
      </h2>
      <dl className="facts">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{wordFor(key)}</dt>
            <dd>{specText(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A specification's value as text: numbers in the reader's format, lists joined, objects as key: value. */
export function specText(value: unknown): string {
  if (typeof value === 'number') return NUMBER.format(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(specText).join(', ');
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${wordFor(k)}: ${specText(v)}`)
      .join('; ');
  }
  return '—';
}

const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

function plural(n: number, word: string): string {
  return n === 1 ? `1 ${word}.` : `${n} ${word}s.`;
}
