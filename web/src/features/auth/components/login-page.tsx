/**
 * `/login`: the company's branded sign-in page.
 *
 * The company comes from `?company=<slug>`, or else from the last company signed in to on this
 * device. An unknown company is said plainly, and signing in still works without it.
 */
import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { BrandMark } from '../../../components/brand-mark';
import { brandStyle } from '../../../components/brand-theme';
import { useDocumentTitle } from '../../../components/use-document-title';
import { forgetLastCompany, readLastCompany, rememberLastCompany } from '../../../session/last-company';
import { returnPathFrom } from '../../../session/return-path';
import { useSession } from '../../../session/session-context';
import { useCompanyLookup, type CompanyLookup } from '../api/company-branding';
import { describeLoginFailure, login, type LoginFailure } from '../api/login';

/** The sign-in page. */
export function LoginPage() {
  const [params] = useSearchParams();
  const querySlug = params.get('company')?.trim().toLowerCase() || null;
  // Read once: the stored slug changes only as a result of what this page does.
  const [storedSlug] = useState(readLastCompany);
  const slug = querySlug ?? storedSlug;
  const lookup = useCompanyLookup(slug);

  useEffect(() => {
    if (lookup.status === 'found' && querySlug !== null) rememberLastCompany(lookup.slug);
    if (lookup.status === 'unknown' && readLastCompany() === lookup.slug) forgetLastCompany();
  }, [lookup, querySlug]);

  const branding = lookup.status === 'found' ? lookup.company.branding : null;
  useDocumentTitle(branding ? `Sign in · ${branding.display_name}` : 'Sign in');

  return (
    <div className="login" style={brandStyle(branding?.primary_color)}>
      <header className="login__header">
        {branding ? (
          <BrandMark branding={branding} as="h1" />
        ) : (
          <h1 className="brand-mark">
            <span className="brand-mark__name">Bosun</span>
          </h1>
        )}
      </header>
      <main className="login__main">
        <CompanyNotice lookup={lookup} />
        <LoginForm companySlug={lookup.status === 'unknown' ? null : slug} />
      </main>
    </div>
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
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const [askCompany, setAskCompany] = useState(false);
  const id = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    try {
      const company = askCompany && companyCode.trim() ? companyCode.trim().toLowerCase() : companySlug;
      const session = await login({ email: email.trim(), password, company: company ?? undefined });
      signIn(session);
      await navigate(returnPathFrom(location.state), { replace: true });
    } catch (error) {
      const described = describeLoginFailure(error);
      setFailure(described);
      if (described.needsCompany) setAskCompany(true);
      setPending(false);
    }
  }

  return (
    <form className="card login__form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`} className="card__title">
        Sign in
      </h2>
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
      {failure ? (
        <p className="alert" role="alert">
          {failure.message}
        </p>
      ) : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
