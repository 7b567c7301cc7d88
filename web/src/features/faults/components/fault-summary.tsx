/**
 * One fault in a list: its title (a link to its page), severity, status, when it was seen, and
 * whether it is still only on this device.
 */
import { useId } from 'react';
import { Link } from 'react-router';

import { formatDate } from '../../../components/date-time';
import type { FaultItem } from '../api/faults';
import { PendingMark } from '../../../components/pending-mark';
import { SEVERITY_LABEL, STATUS_LABEL } from './fault-labels';

/** The list item; its title a heading one level below the list's (`level`, 3 by default). */
export function FaultSummary({
  fault,
  equipmentName,
  level = 3,
}: {
  fault: FaultItem;
  equipmentName?: string | undefined;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const titleId = useId();
  const report = fault.pending.find((w) => w.name === 'report_fault.v1');
  const latest = report ?? fault.pending.at(-1);
  return (
    <li className={`fault fault--${fault.severity}`} aria-labelledby={titleId}>
      <Heading id={titleId} className="fault__title">
        <Link to={`/faults/${encodeURIComponent(fault.id)}`}>{fault.title}</Link>
      </Heading>
      <dl className="fault__facts">
        {equipmentName ? (
          <div>
            <dt>Item</dt>
            <dd>{equipmentName}</dd>
          </div>
        ) : null}
        <div>
          <dt>Severity</dt>
          <dd>
            <span className={`level level--${fault.severity}`}>{SEVERITY_LABEL[fault.severity]}</span>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{STATUS_LABEL[fault.status]}</dd>
        </div>
        {fault.observedAt ? (
          <div>
            <dt>Observed</dt>
            <dd>
              <time dateTime={fault.observedAt}>{formatDate(fault.observedAt)}</time>
            </dd>
          </div>
        ) : null}
        {latest ? (
          <div>
            <dt>Sync</dt>
            <dd>
              <PendingMark write={latest} />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}
