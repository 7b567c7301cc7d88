/**
 * `/vessels/:id/import` (roles that write equipment): a CSV file of the vessel's equipment is
 * checked first (a dry run: every problem, row by row, nothing written) and imported only once
 * it is clean, all or nothing. Online only.
 */
import { Link, useParams } from 'react-router';
import { CsvImport } from '../../../components/csv-import';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { importEquipment, useImportVessel } from '../api/import';
import { equipmentImportSummary, ImportedItems } from './import-report';

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

function Importer({ vesselId }: { vesselId: string }) {
  const vessel = useImportVessel(vesselId);
  const vesselName = vessel.data?.name ?? 'the vessel';
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
      <CsvImport
        hint={
          <>
            A header row naming its columns, in any order: {COLUMNS}. Name, level and area are needed; parent_ref names
            another row’s ref or the label code of an item already on board.
          </>
        }
        send={(csv, dryRun) => importEquipment(vesselId, csv, dryRun)}
        summary={equipmentImportSummary}
        details={(report) => <ImportedItems report={report} />}
        importLabel={(report) =>
          `Import ${report.rows.toLocaleString()} ${report.rows === 1 ? 'item' : 'items'} into ${vesselName}`
        }
      />
    </section>
  );
}
