/**
 * `/fleet/:id` (owners, admins, managers): one vessel's administration — its fields, its
 * departments, and who is on board (put someone on a rotation, take someone off). Online only.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { FLEET_KEYS, updateVessel, useVesselDetail, type VesselDetail } from '../api/fleet';
import { CrewSection } from './crew-section';
import { DepartmentsSection } from './departments-section';
import { VesselForm } from './vessel-form';

/** The page. */
export function FleetVesselPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  if (!may(user.role, 'vessel.update')) {
    return (
      <section className="fleet" aria-labelledby="fleet-vessel-title">
        <h1 id="fleet-vessel-title" className="page-title">
          Vessel
        </h1>
        <p className="notice">Only owners, admins and managers run the fleet.</p>
      </section>
    );
  }
  return (
    <OnlineOnly what="Running the fleet">
      <VesselAdministration id={id} />
    </OnlineOnly>
  );
}

function VesselAdministration({ id }: { id: string }) {
  const vessel = useVesselDetail(id);
  useDocumentTitle(vessel.data?.name ?? 'Vessel');
  if (vessel.isPending) {
    return (
      <p className="notice" role="status">
        Loading the vessel…
      </p>
    );
  }
  if (vessel.isError) return <ProblemAlert error={vessel.error} onRetry={() => void vessel.refetch()} />;
  return (
    <section className="fleet" aria-labelledby="fleet-vessel-title">
      <div className="page-heading">
        <h1 id="fleet-vessel-title" className="page-title">
          {vessel.data.name}
        </h1>
        <p className="page-heading__sub">
          <Link to="/fleet">Fleet</Link> · <Link to={`/vessels/${id}/equipment`}>Equipment</Link> ·{' '}
          <Link to={`/vessels/${id}/import`}>Import equipment from CSV</Link>
        </p>
      </div>
      <div className="fleet__sections">
        {/* Keyed by version: a saved edit starts the form again from what the server holds. */}
        <EditVessel key={vessel.data.version} vessel={vessel.data} />
        <DepartmentsSection vessel={vessel.data} />
        <CrewSection vessel={vessel.data} />
      </div>
    </section>
  );
}

function EditVessel({ vessel }: { vessel: VesselDetail }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const { run } = useAction(updateVessel, 'Could not save the vessel');
  return (
    <section className="card" aria-labelledby="edit-vessel-title">
      <h2 id="edit-vessel-title" className="card__title">
        Details
      </h2>
      {saved ? (
        <p className="notice notice--success" role="status">
          Saved.
        </p>
      ) : null}
      <VesselForm
        label="Vessel details"
        vessel={vessel}
        submitLabel="Save"
        onSave={async (fields) => {
          setSaved(false);
          const outcome = await run(vessel, fields);
          if (!outcome.ok) return outcome;
          queryClient.setQueryData(FLEET_KEYS.vessel(vessel.id), { ...vessel, ...outcome.value });
          void queryClient.invalidateQueries({ queryKey: FLEET_KEYS.vessels });
          setSaved(true);
          return { ok: true };
        }}
      />
    </section>
  );
}
