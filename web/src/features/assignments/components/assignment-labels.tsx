/**
 * Words for assignments and daily reports: their statuses (the word carries the meaning, the
 * colour only underlines it), periods ("Mon 4 May 2026 – Fri 8 May 2026" for whole days), hours,
 * people's names as the device knows them, the writes still on this device with how far they
 * got, and what the refusals mean for these records, beside the server's sentence (the
 * catalogue's general message is in `api/problem-messages.ts`; here they are said for the
 * booking or report at hand, and a field error gets its own where the server names it).
 */
import { formatDateTime } from '../../../components/date-time';
import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites, type RefusalMeanings } from '../../../components/pending-writes';
import { usePeopleNames } from '../../../components/vessel-people';
import { useSignedInUser } from '../../../session/session-context';
import { ANSWER_ASSIGNMENT, ASSIGN_EQUIPMENT, CANCEL_ASSIGNMENT, isWholeDays, lastDayOf, type AssignmentStatus } from '../api/assignments';
import { RETURN_DAILY_REPORT, SUBMIT_DAILY_REPORT, VALIDATE_DAILY_REPORT, type ReportStatus } from '../api/daily-reports';

/** An assignment's status as the planner reads it. */
export const ASSIGNMENT_STATUS_LABEL: Record<AssignmentStatus, string> = {
  proposed: 'Waiting for the operator',
  accepted: 'Accepted',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/** A report's status in words. */
export const REPORT_STATUS_LABEL: Record<ReportStatus, string> = {
  submitted: 'Waiting for validation',
  returned: 'Returned for correction',
  validated: 'Validated',
};

/** A status as a mark: `tone` picks the colour, the text says it. */
export function StatusMark({ text, tone }: { text: string; tone: 'waiting' | 'good' | 'attention' | 'off' }) {
  return <span className={`status-mark status-mark--${tone}`}>{text}</span>;
}

const ASSIGNMENT_TONE: Record<AssignmentStatus, 'waiting' | 'good' | 'attention' | 'off'> = {
  proposed: 'waiting',
  accepted: 'good',
  declined: 'off',
  cancelled: 'off',
};

/** An assignment's status mark; `mine` when the person reading is its operator. */
export function AssignmentStatusMark({ status, refused, mine = false }: { status: AssignmentStatus; refused: boolean; mine?: boolean }) {
  if (refused) return <StatusMark text="Not booked" tone="attention" />;
  const text = status === 'proposed' && mine ? 'Waiting for your answer' : ASSIGNMENT_STATUS_LABEL[status];
  return <StatusMark text={text} tone={ASSIGNMENT_TONE[status]} />;
}

const REPORT_TONE: Record<ReportStatus, 'waiting' | 'good' | 'attention'> = {
  submitted: 'waiting',
  returned: 'attention',
  validated: 'good',
};

/** A report's status mark. */
export function ReportStatusMark({ status, refused }: { status: ReportStatus; refused: boolean }) {
  if (refused) return <StatusMark text="Not submitted" tone="attention" />;
  return <StatusMark text={REPORT_STATUS_LABEL[status]} tone={REPORT_TONE[status]} />;
}

const DAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** A day (`YYYY-MM-DD`) in the person's locale: "Mon 4 May 2026". */
export function formatDay(day: string): string {
  const at = new Date(`${day}T12:00:00`);
  return Number.isNaN(at.getTime()) ? day : DAY.format(at);
}

/** A period: whole days as days ("Mon 4 May 2026 – Fri 8 May 2026"), else with times. */
export function formatPeriod(period: { startsAt: string; endsAt: string }): string {
  if (isWholeDays(period)) {
    const s = new Date(period.startsAt);
    const first = `${s.getFullYear()}-${String(s.getMonth() + 1).padStart(2, '0')}-${String(s.getDate()).padStart(2, '0')}`;
    const last = lastDayOf(period.endsAt);
    return first === last ? formatDay(first) : `${formatDay(first)} – ${formatDay(last)}`;
  }
  return `${formatDateTime(period.startsAt)} – ${formatDateTime(period.endsAt)}`;
}

/** A period in words, kept on one line where it fits. */
export function Period({ period }: { period: { startsAt: string; endsAt: string } }) {
  return <span className="booking__period">{formatPeriod(period)}</span>;
}

const HOURS = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "7.5 h". */
export const formatHours = (n: number) => `${HOURS.format(n)} h`;

/** A figure with its unit, or a dash. */
export const formatFigure = (n: number | null, unit: string) => (n === null ? '—' : `${HOURS.format(n)} ${unit}`);

/**
 * People's names as this device knows them: the person signed in as "you", the company's
 * directory where the replica holds it (planners have it), else "someone on the site".
 */
export function usePersonName(): (id: string | null, fallback?: string) => string {
  const user = useSignedInUser();
  const people = usePeopleNames();
  const me = user.id.toLowerCase();
  return (id, fallback = 'Someone on the site') => (id === null || id === me ? `${user.name} (you)` : (people.get(id) ?? fallback));
}

/** What a waiting assignment or report write does, in words. */
export function describeWrite(write: PendingWrite): string {
  switch (write.name) {
    case ASSIGN_EQUIPMENT:
      return 'Booked';
    case ANSWER_ASSIGNMENT:
      return write.args.accept === true ? 'Accepted' : 'Declined';
    case CANCEL_ASSIGNMENT:
      return 'Cancelled';
    case SUBMIT_DAILY_REPORT:
      return 'Submitted';
    case VALIDATE_DAILY_REPORT:
      return 'Validated';
    case RETURN_DAILY_REPORT:
      return 'Returned';
    default:
      return write.name;
  }
}

/** What the refusals mean for an assignment's writes. */
const ASSIGNMENT_REFUSAL: RefusalMeanings = {
  double_booked: 'The item was booked for part of that period meanwhile: choose another period or another item.',
  not_the_operator: 'Only the person the item is assigned to accepts or declines it.',
  invalid_transition: 'The assignment was answered or cancelled meanwhile; see where it stands now.',
  equipment_decommissioned: 'The item is decommissioned and is not assigned any more.',
  not_found: 'The item or the person is no longer within reach.',
  validation_failed: 'The server found something to fix (above); book it again with that changed.',
};

/** What the refusals mean for a report's writes. */
const REPORT_REFUSAL: RefusalMeanings = {
  not_assigned: 'You have no accepted assignment of this item on that day.',
  report_exists: 'You have reported this item for that day already (perhaps on another device): correct that report instead.',
  report_validated: 'The report was validated meanwhile, so it is no longer corrected.',
  not_the_operator: 'Only the operator who wrote the report corrects it.',
  own_report: 'Someone other than the operator validates or returns a report.',
  report_changed: 'The operator sent a correction meanwhile: read the new revision, then validate or return it.',
  invalid_transition: 'The report was validated or returned meanwhile; see where it stands now.',
  equipment_decommissioned: 'The item is decommissioned.',
};

/**
 * The meanings for one write: a field error the server names in its sentence gets its own (a
 * validation refused for a backwards hour meter says what to do next).
 */
export function refusalMeanings(write: PendingWrite): RefusalMeanings {
  const report = write.name === SUBMIT_DAILY_REPORT || write.name === VALIDATE_DAILY_REPORT || write.name === RETURN_DAILY_REPORT;
  if (!report) {
    if (write.code === 'validation_failed' && /not_on_vessel|not_an_operator|unknown_person/.test(write.detail ?? '')) {
      return {
        validation_failed:
          'That person no longer operates equipment at this site (not on its rotation, a viewer, or no longer active): book someone else.',
      };
    }
    return ASSIGNMENT_REFUSAL;
  }
  if (write.code === 'validation_failed' && write.detail?.includes('reading_backwards')) {
    return {
      validation_failed:
        'The hour meter reads below an earlier reading of the item, so its hours cannot be counted: return the report with a comment so the operator corrects it.',
    };
  }
  return REPORT_REFUSAL;
}

/** Writes not yet accepted, refusals with their reason. */
export function PendingWrites({ writes, label }: { writes: readonly PendingWrite[]; label?: string }) {
  return <SharedPendingWrites writes={writes} describe={describeWrite} meanings={refusalMeanings} label={label} />;
}
