/**
 * `/reset-password#<token>`: the page a password-reset e-mail links to. The new password is
 * typed twice; once it is set, every session of the login has ended and the person signs in
 * with it.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useRememberedBranding } from '../api/company-branding';
import { tokenFromHash } from '../api/link-token';
import { resetPassword } from '../api/password-reset';
import { AuthFrame } from './auth-frame';
import { NewPasswordFields, newPasswordProblem } from '../../../components/new-password-fields';

/** The reset page. */
export function ResetPasswordPage() {
  useDocumentTitle('Set a new password');
  const location = useLocation();
  const token = tokenFromHash(location.hash);
  const branding = useRememberedBranding(null);
  return <AuthFrame branding={branding}>{token ? <ResetForm token={token} /> : <BrokenLink />}</AuthFrame>;
}

function BrokenLink() {
  const id = useId();
  return (
    <section className="card login__form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        This link is incomplete
      </h2>
      <p>Open the link from the e-mail once more, all of it, or ask for a new one.</p>
      <p className="login__next">
        <Link to="/forgot-password">Ask for a new link</Link>
      </p>
    </section>
  );
}

function ResetForm({ token }: { token: string }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const { run, pending, error } = useAction(resetPassword, 'Could not set the password');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = newPasswordProblem(password, repeated);
    setMismatch(problem);
    if (problem !== null) return;
    if ((await run(token, password)).ok) setDone(true);
  }

  if (done) {
    return (
      <section className="card login__form" aria-labelledby={`${id}-done`}>
        <h2 id={`${id}-done`} className="card__title">
          Your password is set
        </h2>
        <p role="status">Sign in with your new password. Bosun has signed you out everywhere else.</p>
        <p className="login__next">
          <Link className="button button--primary" to="/login">
            Sign in
          </Link>
        </p>
      </section>
    );
  }

  if (error?.code === 'reset_invalid') {
    return (
      <section className="card login__form" aria-labelledby={`${id}-invalid`}>
        <h2 id={`${id}-invalid`} className="card__title">
          This link has expired
        </h2>
        <p role="alert">
          A reset link works once and for a short time, and this one was used or is too old. Ask for a
          new one.
        </p>
        <p className="login__next">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </section>
    );
  }

  return (
    <form className="card login__form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`} className="card__title">
        Set a new password
      </h2>
      <NewPasswordFields password={password} repeated={repeated} onPassword={setPassword} onRepeated={setRepeated} />
      {mismatch ? (
        <p className="alert" role="alert">
          {mismatch}
        </p>
      ) : null}
      {error ? <ProblemAlert error={error} fieldLabels={{ password: 'New password' }} /> : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Set password'}
      </button>
    </form>
  );
}
