/**
 * A vessel's stock locations (stores, lockers, shelves, each possibly inside another), and for
 * the roles that write the catalogue a form adding one: `create_stock_location.v1` with a
 * client-made UUIDv7, shown at once "on this device".
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { CREATE_STOCK_LOCATION, type StockLocation } from '../../../components/stock-levels';
import { Refusal } from './stock-labels';

export const locationSchema = z.object({
  name: z.string().trim().min(1, 'Name the location, e.g. Engine room store.').max(100, 'Keep the name to 100 characters.'),
  parent_id: z.string(),
});
type LocationForm = z.input<typeof locationSchema>;
type Location = z.output<typeof locationSchema>;

/** The section of the vessel's stock page. */
export function StockLocations({ vesselId, locations }: { vesselId: string; locations: readonly StockLocation[] }) {
  const user = useSignedInUser();
  const titleId = useId();
  const mayAdd = may(user.role, 'catalogue.write');
  return (
    <section className="card stock-locations" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Stock locations
      </h2>
      {locations.length === 0 ? (
        <p className="notice">
          No stock locations on this vessel yet.{mayAdd ? ' Add one below.' : ' An owner, admin or manager adds them.'}
        </p>
      ) : (
        <ul className="stock-location-list" aria-labelledby={titleId}>
          {locations.map((l) => (
            <li key={l.id}>
              {l.path}
              {l.pending ? (
                <>
                  {' '}
                  <PendingMark write={l.pending} />
                  <Refusal write={l.pending} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {mayAdd ? <AddLocationForm vesselId={vesselId} locations={locations.filter((l) => l.pending?.state !== 'rejected')} /> : null}
    </section>
  );
}

function AddLocationForm({ vesselId, locations }: { vesselId: string; locations: readonly StockLocation[] }) {
  const enqueue = useEnqueue();
  const [added, setAdded] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<LocationForm, unknown, Location>({
    resolver: zodResolver(locationSchema),
    defaultValues: { name: '', parent_id: '' },
  });
  const submit = handleSubmit(async ({ name, parent_id }) => {
    setFailure(null);
    setAdded(null);
    try {
      await enqueue(
        CREATE_STOCK_LOCATION,
        { id: newRowId(), vessel_id: vesselId, name, ...(parent_id === '' ? {} : { parent_id }) },
        null,
      );
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The location could not be kept on this device.');
      return;
    }
    setAdded(name);
    reset({ name: '', parent_id: '' });
  });
  return (
    <form className="stock-form" aria-label="Add a location" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Add a location</h3>
      {added ? (
        <p className="notice notice--success" role="status">
          “{added}” is added. It is kept on this device and sent as soon as there is a connection.
        </p>
      ) : null}
      <FieldFrame label="Name" error={formState.errors.name?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register('name')} />}
      </FieldFrame>
      {locations.length > 0 ? (
        <FieldFrame label="Inside (optional)" hint="The store or room this location is part of.">
          {(ids) => (
            <select {...ids} {...register('parent_id')}>
              <option value="">Not inside another</option>
              {locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Add location
      </button>
    </form>
  );
}
