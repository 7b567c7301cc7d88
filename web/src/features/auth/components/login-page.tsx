/**
 * `/login`: the company's branded sign-in page.
 *
 * The company comes from `?company=<slug>`, or else from the last company signed in to on this
 * device. An unknown company is said plainly, and signing in still works without it. A login
 * with a second factor is asked for its code in a second step; the email and password typed
 * in the first are kept in this page's memory only, to send again with the code.
 */
import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { SecondFactorCodeField, normaliseCode } from '../../../components/second-factor-code-field';
import { useDocumentTitle } from '../../../components/use-document-title';
import { forgetLastCompany, readLastCompany, rememberLastCompany } from '../../../session/last-company';
import { pathAfterSignIn } from '../../../session/return-path';
import { useSession } from '../../../session/session-context';
import { signInCompanySlug, useCompanyLookup, type CompanyLookup } from '../api/company-branding';
import { describeLoginFailure, login, type LoginFailure } from '../api/login';
import { AuthFrame } from './auth-frame';

/** The sign-in page. */
export function LoginPage() {
  const [params] = useSearchParams();
  const querySlug = params.get('company')?.trim().toLowerCase() || null;
  // Read once: the stored slug changes only as a result of what this page does.
  const [storedSlug] = useState(readLastCompany);
  const slug = signInCompanySlug(querySlug, storedSlug);
  const lookup = useCompanyLookup(slug);

  useEffect(() => {
    if (lookup.status === 'found' && querySlug !== null) rememberLastCompany(lookup.slug);
    if (lookup.status === 'unknown' && readLastCompany() === lookup.slug) forgetLastCompany();
  }, [lookup, querySlug]);

  const branding = lookup.status === 'found' ? lookup.company.branding : null;
  useDocumentTitle(branding ? `Sign in · ${branding.display_name}` : 'Sign in');
  const knownSlug = lookup.status === 'unknown' ? null : slug;

  return (
    <AuthFrame branding={branding}>
      <CompanyNotice lookup={lookup} />
      <LoginForm companySlug={knownSlug} />
      <p className="login__links">
        <Link to={knownSlug ? `/forgot-password?company=${encodeURIComponent(knownSlug)}` : '/forgot-password'}>
          Forgot your password?
        </Link>
      </p>
    </AuthFrame>
  );
}

function CompanyNotice({ lookup }: { lookup: CompanyLookup }) {
  switch (lookup.status) {
    case 'loading':
      return (
        <p className="notice" role="status">
          Loading company…
        </p>
      );
    case 'unknown':
      return (
        <p className="notice notice--warning" role="status">
          We don’t know a company called “{lookup.slug}”. Check the link you were given — you can
          still sign in with your email and password.
        </p>
      );
    case 'failed':
      return (
        <p className="notice notice--warning" role="status">
          Could not load the company’s page ({lookup.error.problem.title}). You can still sign in.
        </p>
      );
    case 'none':
    case 'found':
      return null;
  }
}

function LoginForm({ companySlug }: { companySlug: string | null }) {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [companyCode, setCompanyCode] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const [askCompany, setAskCompany] = useState(false);
  // 'code': the password was right and the login's second factor is asked for.
  const [step, setStep] = useState<'password' | 'code'>('password');
  const id = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    try {
      const company = askCompany && companyCode.trim() ? companyCode.trim().toLowerCase() : companySlug;
      const session = await login({
        email: email.trim(),
        password,
        company: company ?? undefined,
        mfaCode: step === 'code' ? normaliseCode(code) : undefined,
      });
      signIn(session);
      await navigate(pathAfterSignIn(session, location.state), { replace: true });
    } catch (error) {
      const described = describeLoginFailure(error);
      if (described.needsCode && step === 'password') {
        // Not a failure: the next step explains itself.
        setStep('code');
        setCode('');
      } else {
        setFailure(described);
      }
      if (described.needsCompany) setAskCompany(true);
      setPending(false);
    }
  }

  function startOver() {
    setStep('password');
    setPassword('');
    setCode('');
    setFailure(null);
  }

  return (
    <form className="card login__form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`} className="card__title">
        {step === 'code' ? 'Second factor' : 'Sign in'}
      </h2>
      {step === 'password' ? (
        <>
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
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
              }}
            />
          </div>
          {askCompany ? (
            <div className="field">
              <label htmlFor={`${id}-company`}>Company code</label>
              <input
                id={`${id}-company`}
                name="company"
                type="text"
                autoComplete="organization"
                autoCapitalize="none"
                spellCheck={false}
                required
                value={companyCode}
                aria-describedby={`${id}-company-hint`}
                onChange={(e) => {
                  setCompanyCode(e.target.value);
                }}
              />
              <p id={`${id}-company-hint`} className="field__hint">
                The short name in your company’s Bosun link, such as “northwind”.
              </p>
            </div>
          ) : null}
        </>
      ) : (
        <>
          <p className="notice">
            <strong>{email.trim()}</strong> has a second factor. Open your authenticator app and
            enter the code it shows for Bosun.
          </p>
          <SecondFactorCodeField value={code} onChange={setCode} allowRecoveryCode autoFocus />
        </>
      )}
      {failure ? (
        <p className="alert" role="alert">
          {failure.message}
        </p>
      ) : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      {step === 'code' ? (
        <button className="link-button login__start-over" type="button" onClick={startOver}>
          Use another account
        </button>
      ) : null}
    </form>
  );
}
