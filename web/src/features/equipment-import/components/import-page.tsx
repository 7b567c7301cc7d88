/**
 * `/vessels/:id/import` (roles that write equipment): a CSV file of the vessel's equipment is
 * checked first (a dry run: every problem, row by row, nothing written) and imported only once
 * it is clean, all or nothing. Online only.
 */
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../../api/client';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { importEquipment, useImportVessel, type ImportReport } from '../api/import';
import { ImportReportView } from './import-report';

const COLUMNS = 'ref, parent_ref, level, name, area, equipment_type, maker, model, serial_number, criticality, status';

/** The page. */
export function ImportPage() {
  useDocumentTitle('Import equipment');
  const { id = '' } = useParams();
  const user = useSignedInUser();
  if (!may(user.role, 'equipment.write')) {
    return (
      <section aria-labelledby="import-title">
        <h1 id="import-title" className="page-title">
          Import equipment
        </h1>
        <p className="notice">Your role does not change the equipment register.</p>
      </section>
    );
  }
  return (
    <OnlineOnly what="Importing equipment">
      <Importer vesselId={id} />
    </OnlineOnly>
  );
}

/** The file's text (UTF-8), through FileReader, which every browser and jsdom have. */
function readText(file: File): Promise<string> {
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

/** A file read and what the server said of it. */
interface Checked {
  csv: string;
  report: ImportReport;
}

function Importer({ vesselId }: { vesselId: string }) {
  const id = useId();
  const vessel = useImportVessel(vesselId);
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [imported, setImported] = useState<ImportReport | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const dryRun = useAction((csv: string) => importEquipment(vesselId, csv, true), 'Could not check the file');
  const realRun = useAction((csv: string) => importEquipment(vesselId, csv, false), 'Could not import the file');
  const vesselName = vessel.data?.name ?? 'the vessel';

  async function choose(chosen: File | undefined) {
    setChecked(null);
    setImported(null);
    dryRun.clearError();
    realRun.clearError();
    setUnreadable(false);
    try {
      setFile(chosen ? { name: chosen.name, csv: await readText(chosen) } : null);
    } catch {
      setFile(null);
      setUnreadable(true);
    }
  }

  async function check() {
    if (!file) return;
    const outcome = await dryRun.run(file.csv);
    if (outcome.ok) setChecked({ csv: file.csv, report: outcome.value });
  }

  async function runImport() {
    if (!checked) return;
    const outcome = await realRun.run(checked.csv);
    if (outcome.ok) {
      setImported(outcome.value);
      setChecked(null);
    }
  }

  const failure: ApiError | null = dryRun.error ?? realRun.error;
  return (
    <section className="import" aria-labelledby="import-title">
      <div className="page-heading">
        <h1 id="import-title" className="page-title">
          Import equipment
        </h1>
        <p className="page-heading__sub">
          {vessel.data ? <Link to={`/vessels/${vesselId}/equipment`}>{vessel.data.name}</Link> : null}
        </p>
      </div>
      {vessel.isError ? <ProblemAlert error={vessel.error} onRetry={() => void vessel.refetch()} /> : null}
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
            A header row naming its columns, in any order: {COLUMNS}. Name, level and area are needed;
            parent_ref names another row’s ref or the label code of an item already on board.
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
      {failure ? <ProblemAlert error={failure} /> : null}

      {checked ? (
        <ImportReportView report={checked.report} csv={checked.csv}>
          {checked.report.valid ? (
            <button className="button button--primary" type="button" disabled={realRun.pending} onClick={() => void runImport()}>
              {realRun.pending
                ? 'Importing…'
                : `Import ${checked.report.rows.toLocaleString()} ${checked.report.rows === 1 ? 'item' : 'items'} into ${vesselName}`}
            </button>
          ) : (
            <p className="notice notice--warning">Nothing is imported until every row is right: fix the file and check it again.</p>
          )}
        </ImportReportView>
      ) : null}

      {imported ? <ImportReportView report={imported} csv={file?.csv ?? ''} /> : null}
    </section>
  );
}
