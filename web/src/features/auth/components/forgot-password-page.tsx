/**
 * `/forgot-password`: asks for a password-reset link by e-mail. The answer is the same whether
 * or not the email has a login, so the page never tells which emails do.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useRememberedBranding } from '../api/company-branding';
import { requestPasswordReset } from '../api/password-reset';
import { AuthFrame } from './auth-frame';

/** The forgotten-password page. */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot your password');
  const [params] = useSearchParams();
  const company = params.get('company');
  const branding = useRememberedBranding(company);
  const id = useId();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { run, pending, error } = useAction(requestPasswordReset, 'Could not ask for a reset link');
  const signInPath = company ? `/login?company=${encodeURIComponent(company)}` : '/login';

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    if ((await run(address)).ok) setSentTo(address);
  }

  return (
    <AuthFrame branding={branding}>
      {sentTo !== null ? (
        <section className="card login__form" aria-labelledby={`${id}-sent`}>
          <h2 id={`${id}-sent`} className="card__title">
            Check your e-mail
          </h2>
          <p role="status">
            If <strong>{sentTo}</strong> has a Bosun login, a link to set a new password is on its
            way. It works once and for a short time.
          </p>
          <p className="login__next">
            No e-mail on board? Ask your company’s admin for help.
          </p>
          <p className="login__next">
            <Link to={signInPath}>Back to sign in</Link>
          </p>
        </section>
      ) : (
        <form className="card login__form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
          <h2 id={`${id}-title`} className="card__title">
            Forgot your password?
          </h2>
          <p className="notice">Enter the email you sign in with, and we’ll e-mail you a link to set a new password.</p>
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="username"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(e) => {
                setEmail(e.target.value);
              }}
            />
          </div>
          {error ? <ProblemAlert error={error} /> : null}
          <button className="button button--primary" type="submit" disabled={pending}>
            {pending ? 'Sending…' : 'Send me a link'}
          </button>
          <p className="login__next">
            <Link to={signInPath}>Back to sign in</Link>
          </p>
        </form>
      )}
    </AuthFrame>
  );
}
