/**
 * The company's security rule (owners and admins): whether owners and admins must sign in with
 * a second factor. Turning it on needs one's own second factor first.
 */
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { ACCOUNT_PATH } from '../../../session/return-path';
import { useSession, useSignedInUser } from '../../../session/session-context';
import { setRequireMfa } from '../api/company';

/** The section. */
export function SecuritySection() {
  const id = useId();
  const user = useSignedInUser();
  const { updateCompany } = useSession();
  const required = user.company.require_mfa;
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useAction(setRequireMfa, 'Could not change the setting');

  async function change(on: boolean) {
    setSaved(false);
    const outcome = await run(user.company.id, on);
    if (outcome.ok) {
      updateCompany(outcome.value);
      setSaved(true);
    }
  }

  return (
    <section className="card company__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Security
      </h2>
      <div className="checkbox checkbox--setting">
        <input
          id={`${id}-require-mfa`}
          type="checkbox"
          checked={required}
          disabled={pending}
          aria-describedby={`${id}-hint`}
          onChange={(e) => void change(e.target.checked)}
        />
        <label htmlFor={`${id}-require-mfa`}>Require a second factor of owners and admins</label>
      </div>
      <p id={`${id}-hint`} className="field__hint">
        Owners and admins then sign in with a code from an authenticator app too. Those without one can
        only set one up until they do. You need your own second factor to turn this on.
      </p>
      {error?.code === 'mfa_not_enabled' ? (
        <p className="alert" role="alert">
          Set up your own second factor first: <Link to={ACCOUNT_PATH}>go to your account</Link>.
        </p>
      ) : null}
      {error && error.code !== 'mfa_not_enabled' ? <ProblemAlert error={error} /> : null}
      {saved ? (
        <p className="notice notice--success" role="status">
          {required ? 'Owners and admins now need a second factor.' : 'A second factor is now up to each person.'}
        </p>
      ) : null}
    </section>
  );
}
