/**
 * Importing a CSV file through the server (a vessel's equipment, the parts catalogue): the
 * person chooses a file, the server checks it (a dry run: every problem, row by row, nothing
 * written), and only a clean file is imported, all or nothing. The file is read once and the
 * same text is sent for the check and the import. Online only: callers put it inside
 * `OnlineOnly`, since a bulk import is never queued in the outbox.
 *
 * What differs by kind of file comes from the caller: its columns, what a clean check and an
 * import say, what they list, and the import button.
 */
import './csv-import.css';
import { useId, useState, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import type { components } from '../api/schema.gen';
import { ProblemAlert } from './problem-alert';
import { useAction } from './use-action';

/** One problem with one row: its line (the header is line 1), column, code and message. */
export type CsvRowProblem = components['schemas']['ImportRowErrorView'];

/** What every import report holds, whatever the file. */
export interface CsvCheck {
  /** Whether nothing was written on purpose. */
  dry_run: boolean;
  /** Data rows read. */
  rows: number;
  /** Whether every row is right (a real import then writes them all). */
  valid: boolean;
  /** The problems of the first 100 bad rows. */
  errors: CsvRowProblem[];
  /** Whether checking stopped early, at the 100th bad row. */
  truncated?: boolean;
  /** The line checking stopped at, when it stopped early. */
  stopped_at_row?: number | null;
}

/** "1 row", "2,000 rows". */
export function rowCount(rows: number): string {
  return `${rows.toLocaleString()} ${rows === 1 ? 'row' : 'rows'}`;
}

/** The file's text (UTF-8), through FileReader, which every browser and jsdom have. */
export function readFileText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(typeof reader.result === 'string' ? reader.result : '');
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('The file could not be read'));
    };
    reader.readAsText(file);
  });
}

/**
 * How the problem alert names the fields of an import's refusal: `rows.3.critical` (a real
 * import refused, its rows' problems) as "Line 3, critical", `header` and `body` as the header
 * row and the file.
 */
export function importFieldLabels(error: ApiError): Record<string, string> {
  const labels: Record<string, string> = { header: 'Header row', body: 'File' };
  for (const { field } of error.problem.errors ?? []) {
    const row = /^rows\.(\d+)\.(.+)$/.exec(field);
    if (row) labels[field] = row[2] === 'row' ? `Line ${row[1]}` : `Line ${row[1]}, ${row[2]}`;
  }
  return labels;
}

/** What the caller says of its kind of file. */
export interface CsvImportProps<R extends CsvCheck> {
  /** Under the file field: the columns the file has, and which are needed. */
  hint: ReactNode;
  /** Sends the file's text: a dry run, or the import. */
  send: (csv: string, dryRun: boolean) => Promise<R>;
  /** A clean check, or an import done, in a sentence. */
  summary: (report: R) => string;
  /** Under a clean report's summary: its counts and rows. */
  details?: (report: R) => ReactNode;
  /** The import button of a clean check; null when the file would change nothing. */
  importLabel: (report: R) => string | null;
  /** Said instead of the button when `importLabel` gives null. */
  nothingToImport?: string;
  /** Called once an import is done. */
  onImported?: (report: R) => void;
}

/** A file read and what the server said of it. */
interface Checked<R> {
  csv: string;
  report: R;
}

/** The file field, its check, and the check's or the import's report. */
export function CsvImport<R extends CsvCheck>({
  hint,
  send,
  summary,
  details,
  importLabel,
  nothingToImport = 'The file changes nothing: there is nothing to import.',
  onImported,
}: CsvImportProps<R>) {
  const id = useId();
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [checked, setChecked] = useState<Checked<R> | null>(null);
  const [imported, setImported] = useState<Checked<R> | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const dryRun = useAction((csv: string) => send(csv, true), 'Could not check the file');
  const realRun = useAction((csv: string) => send(csv, false), 'Could not import the file');

  async function choose(chosen: File | undefined) {
    setChecked(null);
    setImported(null);
    dryRun.clearError();
    realRun.clearError();
    setUnreadable(false);
    try {
      setFile(chosen ? { name: chosen.name, csv: await readFileText(chosen) } : null);
    } catch {
      setFile(null);
      setUnreadable(true);
    }
  }

  async function check() {
    if (!file) return;
    setImported(null);
    const outcome = await dryRun.run(file.csv);
    if (outcome.ok) setChecked({ csv: file.csv, report: outcome.value });
  }

  async function runImport() {
    if (!checked) return;
    const outcome = await realRun.run(checked.csv);
    if (outcome.ok) {
      setImported({ csv: checked.csv, report: outcome.value });
      setChecked(null);
      onImported?.(outcome.value);
    }
  }

  const failure: ApiError | null = dryRun.error ?? realRun.error;
  const label = checked?.report.valid ? importLabel(checked.report) : null;
  return (
    <>
      <div className="card import__file">
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            aria-describedby={`${id}-hint`}
            onChange={(e) => void choose(e.target.files?.[0])}
          />
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        </div>
        <button className="button button--primary" type="button" disabled={!file || dryRun.pending} onClick={() => void check()}>
          {dryRun.pending ? 'Checking…' : 'Check the file'}
        </button>
      </div>

      {unreadable ? (
        <p className="alert" role="alert">
          The browser could not read that file. Choose it again, or save it as CSV first.
        </p>
      ) : null}
      {failure ? <ProblemAlert error={failure} fieldLabels={importFieldLabels(failure)} /> : null}

      {checked ? (
        <CsvReport report={checked.report} csv={checked.csv} summary={summary} details={details}>
          {!checked.report.valid ? (
            <p className="notice notice--warning">Nothing is imported until every row is right: fix the file and check it again.</p>
          ) : label === null ? (
            <p className="notice">{nothingToImport}</p>
          ) : (
            <button className="button button--primary" type="button" disabled={realRun.pending} onClick={() => void runImport()}>
              {realRun.pending ? 'Importing…' : label}
            </button>
          )}
        </CsvReport>
      ) : null}

      {imported ? <CsvReport report={imported.report} csv={imported.csv} summary={summary} details={details} /> : null}
    </>
  );
}

/** A report: its summary, every problem by line (quoting the line), or the caller's details. */
function CsvReport<R extends CsvCheck>({
  report,
  csv,
  summary,
  details,
  children,
}: {
  report: R;
  csv: string;
  summary: (report: R) => string;
  details: ((report: R) => ReactNode) | undefined;
  children?: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="card import__report" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        {report.dry_run ? 'Check of the file' : 'Imported'}
      </h2>
      <p role="status">{report.valid ? summary(report) : problemSummary(report)}</p>
      {report.errors.length > 0 ? <CsvProblems errors={report.errors} csv={csv} /> : null}
      {report.valid ? details?.(report) : null}
      {children}
    </section>
  );
}

/** Every problem, one table row per line of the file: the line as it reads, and each column's problem. */
function CsvProblems({ errors, csv }: { errors: CsvRowProblem[]; csv: string }) {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const byRow = new Map<number, CsvRowProblem[]>();
  for (const error of errors) byRow.set(error.row, [...(byRow.get(error.row) ?? []), error]);
  const rows = [...byRow.entries()].sort(([a], [b]) => a - b);
  return (
    <table className="figures import__problems">
      <caption className="visually-hidden">Problems, row by row</caption>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Row</th>
          <th scope="col">Problems</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([row, rowErrors]) => (
          <tr key={row}>
            <th scope="row">{row}</th>
            <td>
              <code className="import__line">{lines[row - 1] ?? ''}</code>
            </td>
            <td>
              <ul className="import__errors">
                {rowErrors.map((error) => (
                  <li key={`${error.field}-${error.code}`}>
                    <strong>{error.field === 'row' ? 'Row' : error.field}</strong>: {error.message}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many rows have problems, that nothing was written, and where checking stopped early. */
function problemSummary(report: CsvCheck): string {
  const bad = new Set(report.errors.map((e) => e.row)).size;
  const stopped =
    report.truncated && report.stopped_at_row
      ? ` Checking stopped at line ${report.stopped_at_row.toLocaleString()}: the rows after it were not checked.`
      : '';
  return `${bad.toLocaleString()} of ${rowCount(report.rows)} ${bad === 1 ? 'has' : 'have'} problems; nothing was written.${stopped}`;
}
