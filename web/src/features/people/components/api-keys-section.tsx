/**
 * API keys (owners and admins): integrations and vessels' edge nodes acting with a role, never
 * as a person. The list says what each may reach and when it was last used; a new key's secret
 * is shown once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type SubmitEvent } from 'react';
import type { ApiKeyView, CreatedApiKeyView, VesselView } from '../../../api/types';
import { CopyField } from '../../../components/copy-field';
import { formatDate, formatDateTime, isPast } from '../../../components/date-time';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLE_LABEL, ROLE_SUMMARY, roleLabel } from '../../../components/role-label';
import { useAction } from '../../../components/use-action';
import { RoleSelect } from './role-select';
import {
  API_KEY_ROLES,
  VESSEL_SCOPED_ROLES,
  createApiKey,
  PEOPLE_KEYS,
  useApiKeys,
  useVesselChoices,
  revokeApiKey,
  type NewApiKey,
} from '../api/people';

/** Days a new key works unless the form says otherwise (the server's default too). */
const DEFAULT_DAYS = 90;

/** The section. */
export function ApiKeysSection() {
  const id = useId();
  const queryClient = useQueryClient();
  const keys = useApiKeys();
  const vessels = useVesselChoices();
  const vesselNames = useMemo(() => new Map(vessels.data?.map((v) => [v.id, v.name]) ?? []), [vessels.data]);
  const [creating, setCreating] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: PEOPLE_KEYS.apiKeys });
  };

  return (
    <section className="card people__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        API keys
      </h2>
      <p className="section-intro">
        For other systems and vessels’ edge nodes: a key acts with a role, never as a person.
      </p>
      {creating ? (
        <NewKeyForm
          vessels={vessels.data ?? null}
          onCreated={refresh}
          onClose={() => {
            setCreating(false);
          }}
        />
      ) : (
        <button
          className="button"
          type="button"
          onClick={() => {
            setCreating(true);
          }}
        >
          New API key
        </button>
      )}
      {keys.isPending ? (
        <p className="notice" role="status">
          Loading API keys…
        </p>
      ) : null}
      {keys.isError ? <ProblemAlert error={keys.error} onRetry={() => void keys.refetch()} /> : null}
      {keys.isSuccess ? (
        keys.data.length === 0 ? (
          <p className="notice">No API keys yet.</p>
        ) : (
          <ul className="row-list" aria-label="API keys">
            {keys.data.map((key) => (
              <KeyRow key={key.id} apiKey={key} vesselNames={vesselNames} onRevoked={refresh} />
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}

function KeyRow({
  apiKey,
  vesselNames,
  onRevoked,
}: {
  apiKey: ApiKeyView;
  vesselNames: Map<string, string>;
  onRevoked: () => void;
}) {
  const { run, pending, error } = useAction(revokeApiKey, 'Could not revoke the key');
  const revoked = Boolean(apiKey.revoked_at);
  const expired = !revoked && isPast(apiKey.expires_at);
  const reach =
    apiKey.vessel_ids.length === 0
      ? 'every vessel'
      : apiKey.vessel_ids.map((vesselId) => vesselNames.get(vesselId) ?? 'a vessel you cannot see').join(', ');
  return (
    <li className="row" aria-label={apiKey.name}>
      <div className="row__text">
        <p className="row__title">
          {apiKey.name}
          {revoked ? <span className="badge badge--decommissioned">Revoked</span> : null}
          {expired ? <span className="badge badge--degraded">Expired</span> : null}
        </p>
        <p className="row__details">
          {roleLabel(apiKey.role)} · {reach}
        </p>
        <p className="row__details">
          {revoked || expired ? '' : `Works until ${formatDate(apiKey.expires_at)} · `}
          {apiKey.last_used_at ? `last used ${formatDateTime(apiKey.last_used_at)}` : 'never used'}
        </p>
        {error ? <ProblemAlert error={error} /> : null}
      </div>
      {revoked || expired ? null : (
        <button
          className="button button--danger"
          type="button"
          disabled={pending}
          onClick={() =>
            void run(apiKey.id).then((outcome) => {
              if (outcome.ok || outcome.error.code === 'already_revoked') onRevoked();
            })
          }
        >
          {pending ? 'Revoking…' : 'Revoke'}
          <span className="visually-hidden"> {apiKey.name}</span>
        </button>
      )}
    </li>
  );
}

function NewKeyForm({
  vessels,
  onCreated,
  onClose,
}: {
  vessels: VesselView[] | null;
  onCreated: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<NewApiKey['role']>('viewer');
  const [vesselIds, setVesselIds] = useState<string[]>([]);
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [mistake, setMistake] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiKeyView | null>(null);
  const { run, pending, error } = useAction(createApiKey, 'Could not make the key');
  const vesselScoped = VESSEL_SCOPED_ROLES.includes(role);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const expiresInDays = days.trim() === '' ? null : Number(days);
    if (expiresInDays !== null && (!Number.isInteger(expiresInDays) || expiresInDays < 1)) {
      setMistake('The number of days must be a whole number, 1 or more.');
      return;
    }
    if (vesselScoped && vesselIds.length === 0) {
      setMistake(`A key with the role ${ROLE_LABEL[role]} must name the vessels it may reach.`);
      return;
    }
    setMistake(null);
    const outcome = await run({ name: name.trim(), role, vesselIds, expiresInDays });
    if (outcome.ok) {
      setCreated(outcome.value);
      onCreated();
    }
  }

  if (created) {
    return (
      <div className="invited" role="group" aria-labelledby={`${id}-created`}>
        <h3 id={`${id}-created`} className="invited__title">
          Key “{created.key.name}” is ready
        </h3>
        <CopyField
          label="API key"
          value={created.secret}
          hint="Shown only now: Bosun keeps only a fingerprint of it. The other system sends it as “Authorization: Bearer …”."
        />
        <button className="button" type="button" onClick={onClose}>
          Done
        </button>
      </div>
    );
  }

  return (
    <form className="new-key" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`} className="invited__title">
        New API key
      </h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          name="name"
          type="text"
          autoComplete="off"
          required
          maxLength={120}
          aria-describedby={`${id}-name-hint`}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
        <p id={`${id}-name-hint`} className="field__hint">
          What it is for, such as “Atlas edge node” or “ERP export”.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <RoleSelect
          id={`${id}-role`}
          value={role}
          roles={API_KEY_ROLES}
          onChange={setRole}
          describedBy={`${id}-role-hint`}
        />
        <p id={`${id}-role-hint`} className="field__hint">
          {ROLE_LABEL[role]}: {ROLE_SUMMARY[role]}.
        </p>
      </div>
      <fieldset className="field vessel-choice">
        <legend>Vessels{vesselScoped ? '' : ' (optional)'}</legend>
        <p className="field__hint">
          {vesselScoped
            ? 'The vessels this key may reach; pick at least one.'
            : 'Leave all unticked for every vessel; tick some to limit the key to them.'}
        </p>
        {vessels === null ? (
          <p className="notice" role="status">
            Loading vessels…
          </p>
        ) : (
          vessels.map((vessel) => (
            <div className="checkbox" key={vessel.id}>
              <input
                id={`${id}-vessel-${vessel.id}`}
                type="checkbox"
                checked={vesselIds.includes(vessel.id)}
                onChange={(e) => {
                  const on = e.target.checked;
                  setVesselIds((ids) => (on ? [...ids, vessel.id] : ids.filter((v) => v !== vessel.id)));
                }}
              />
              <label htmlFor={`${id}-vessel-${vessel.id}`}>{vessel.name}</label>
            </div>
          ))
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-days`}>Works for (days)</label>
        <input
          id={`${id}-days`}
          name="expires_in_days"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={days}
          aria-describedby={`${id}-days-hint`}
          onChange={(e) => {
            setDays(e.target.value);
          }}
        />
        <p id={`${id}-days-hint`} className="field__hint">
          Then it stops working; make a new one before. Empty: {DEFAULT_DAYS} days.
        </p>
      </div>
      {mistake ? (
        <p className="alert" role="alert">
          {mistake}
        </p>
      ) : null}
      {error ? (
        <ProblemAlert
          error={error}
          fieldLabels={{ name: 'Name', role: 'Role', vessel_ids: 'Vessels', expires_in_days: 'Works for (days)' }}
        />
      ) : null}
      <div className="button-row">
        <button className="button button--primary" type="submit" disabled={pending}>
          {pending ? 'Making the key…' : 'Make key'}
        </button>
        <button className="button" type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
