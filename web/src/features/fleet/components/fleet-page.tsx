/**
 * `/fleet` (owners, admins, managers): every vessel of the company, each opening its
 * administration, and registering a new one. Online only.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { VesselView } from '../../../api/types';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { createVessel, FLEET_KEYS, useFleetVessels } from '../api/fleet';
import { VesselForm } from './vessel-form';

const KIND_LABEL: Record<VesselView['kind'], string> = { vessel: 'Ship', site: 'Site', project: 'Project' };

/** The page. */
export function FleetPage() {
  useDocumentTitle('Fleet');
  const user = useSignedInUser();
  return (
    <section className="fleet" aria-labelledby="fleet-title">
      <div className="page-heading">
        <h1 id="fleet-title" className="page-title">
          Fleet
        </h1>
        <p className="page-heading__sub">Vessels, departments and who is on board</p>
      </div>
      {may(user.role, 'vessel.update') ? (
        <OnlineOnly what="Running the fleet">
          <div className="fleet__sections">
            <FleetList />
            {may(user.role, 'vessel.create') ? <RegisterVessel /> : null}
          </div>
        </OnlineOnly>
      ) : (
        <p className="notice">Only owners, admins and managers run the fleet.</p>
      )}
    </section>
  );
}

function FleetList() {
  const vessels = useFleetVessels();
  return (
    <section className="card" aria-labelledby="fleet-list-title">
      <h2 id="fleet-list-title" className="card__title">
        Vessels
      </h2>
      {vessels.isPending ? (
        <p className="notice" role="status">
          Loading the vessels…
        </p>
      ) : vessels.isError ? (
        <ProblemAlert error={vessels.error} onRetry={() => void vessels.refetch()} />
      ) : vessels.data.length === 0 ? (
        <p className="notice">No vessel yet: register the first below.</p>
      ) : (
        <ul className="row-list" aria-label="Fleet">
          {vessels.data.map((vessel) => (
            <li key={vessel.id} className="row" aria-label={vessel.name}>
              <div className="row__text">
                <p className="row__title">
                  <Link to={`/fleet/${vessel.id}`}>{vessel.name}</Link>
                </p>
                <p className="row__details">
                  {KIND_LABEL[vessel.kind]}
                  {vessel.vessel_type ? ` · ${vessel.vessel_type}` : ''}
                  {vessel.imo ? ` · IMO ${vessel.imo}` : ''}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RegisterVessel() {
  const queryClient = useQueryClient();
  const [registered, setRegistered] = useState<VesselView | null>(null);
  const { run } = useAction(createVessel, 'Could not register the vessel');
  return (
    <section className="card" aria-labelledby="register-title">
      <h2 id="register-title" className="card__title">
        Register a vessel
      </h2>
      {registered ? (
        <p className="notice notice--success" role="status">
          {registered.name} is registered. <Link to={`/fleet/${registered.id}`}>Add its departments and crew</Link>.
        </p>
      ) : null}
      <VesselForm
        label="Register a vessel"
        submitLabel="Register"
        onSave={async (fields) => {
          setRegistered(null);
          const outcome = await run(fields);
          if (!outcome.ok) return outcome;
          setRegistered(outcome.value);
          await queryClient.invalidateQueries({ queryKey: FLEET_KEYS.vessels });
          return { ok: true };
        }}
      />
    </section>
  );
}
