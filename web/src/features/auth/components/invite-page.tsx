/**
 * `/invite#<token>`: the page an invitation link opens. It shows who invites whom, as what,
 * in the inviting company's colours, and accepts with one password: the email's existing
 * Bosun login's (and its second factor, when it has one) or the password of a new login. Once
 * accepted the person is signed in to the company, as after sign-in.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../../api/client';
import type { InvitationPreview } from '../../../api/types';
import { formatDate } from '../../../components/date-time';
import { ProblemAlert } from '../../../components/problem-alert';
import { ROLE_SUMMARY, roleLabel } from '../../../components/role-label';
import { SecondFactorCodeField, normaliseCode } from '../../../components/second-factor-code-field';
import { useDocumentTitle } from '../../../components/use-document-title';
import { pathAfterSignIn } from '../../../session/return-path';
import { useSession } from '../../../session/session-context';
import { acceptInvitation, useInvitationPreview } from '../api/invitation';
import { tokenFromHash } from '../api/link-token';
import { AuthFrame } from './auth-frame';

/** The invitation page. */
export function InvitePage() {
  const location = useLocation();
  const token = tokenFromHash(location.hash);
  const preview = useInvitationPreview(token);
  const invitation = preview.data ?? null;
  useDocumentTitle(invitation ? `Invitation · ${invitation.company.branding.display_name}` : 'Invitation');

  if (token === null) {
    return (
      <AuthFrame branding={null}>
        <Unusable title="This link is incomplete">
          Open the link you were sent once more, all of it. If it still does not work, ask the person
          who invited you for a new one.
        </Unusable>
      </AuthFrame>
    );
  }
  if (preview.isPending) {
    return (
      <AuthFrame branding={null}>
        <p className="notice" role="status">
          Opening your invitation…
        </p>
      </AuthFrame>
    );
  }
  if (preview.isError) {
    return (
      <AuthFrame branding={null}>
        {preview.error.code === 'invitation_invalid' ? (
          <Unusable title="This invitation is no longer valid">
            It was already accepted, withdrawn, or it has expired. Ask the person who invited you for a
            new one — or, if you accepted it already, sign in.
          </Unusable>
        ) : (
          <ProblemAlert error={preview.error} onRetry={() => void preview.refetch()} />
        )}
      </AuthFrame>
    );
  }
  return (
    <AuthFrame branding={preview.data.company.branding}>
      <AcceptForm token={token} invitation={preview.data} />
    </AuthFrame>
  );
}

function Unusable({ title, children }: { title: string; children: string }) {
  const id = useId();
  return (
    <section className="card login__form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        {title}
      </h2>
      <p role="alert">{children}</p>
      <p className="login__next">
        <Link to="/login">Go to sign in</Link>
      </p>
    </section>
  );
}

/** Why accepting failed, in the person's terms; null: show the server's problem as it is. */
function describeAcceptFailure(error: ApiError, email: string): string | null {
  switch (error.code) {
    case 'invalid_credentials':
      return `${email} already has a Bosun login, and that is not its password. Enter the password you sign in to Bosun with.`;
    case 'invalid_mfa_code':
      return 'That code is wrong or was already used. Enter the code the app shows now.';
    case 'too_many_attempts':
      return error.retryAfterSeconds === undefined
        ? 'Too many attempts, try again in a minute.'
        : `Too many attempts, try again in ${error.retryAfterSeconds} s.`;
    default:
      return error.status === 429 ? 'Too many attempts, try again in a minute.' : null;
  }
}

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const id = useId();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [gone, setGone] = useState(false);
  const company = invitation.company.branding.display_name;

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const session = await acceptInvitation({
        token,
        password,
        name: name.trim() || undefined,
        mfaCode: step === 'code' ? normaliseCode(code) : undefined,
      });
      signIn(session);
      await navigate(pathAfterSignIn(session, null), { replace: true });
    } catch (thrown) {
      const failure =
        thrown instanceof ApiError
          ? thrown
          : new ApiError({ type: 'about:blank', title: 'Could not accept the invitation', status: 0 });
      if (failure.code === 'mfa_required') {
        setStep('code');
        setCode('');
      } else if (failure.code === 'invitation_invalid') {
        setGone(true);
      } else {
        setError(failure);
      }
      setPending(false);
    }
  }

  if (gone) {
    return (
      <Unusable title="This invitation is no longer valid">
        It was accepted, withdrawn or has expired meanwhile. Ask the person who invited you for a new
        one — or, if you accepted it already, sign in.
      </Unusable>
    );
  }

  const message = error ? describeAcceptFailure(error, invitation.email) : null;
  return (
    <form className="card login__form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`} className="card__title">
        Join {company} on Bosun
      </h2>
      <p className="invite__who">
        {invitation.name}, {company} invites you as <strong>{roleLabel(invitation.role)}</strong>
        {invitation.role in ROLE_SUMMARY ? ` (${ROLE_SUMMARY[invitation.role]})` : ''}.
      </p>
      <dl className="facts invite__facts">
        <div>
          <dt>Email</dt>
          <dd>{invitation.email}</dd>
        </div>
        <div>
          <dt>Valid until</dt>
          <dd>{formatDate(invitation.expires_at)}</dd>
        </div>
      </dl>
      {/* For password managers: the login this password belongs to. */}
      <input type="email" name="email" autoComplete="username" value={invitation.email} readOnly hidden />
      {step === 'password' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={128}
              aria-describedby={`${id}-password-hint`}
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
              }}
            />
            <p id={`${id}-password-hint`} className="field__hint">
              Already use Bosun with {invitation.email}? Enter that password. New to Bosun? Choose a
              password for your new login, at least 8 characters.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>Your name (optional)</label>
            <input
              id={`${id}-name`}
              name="name"
              type="text"
              autoComplete="name"
              maxLength={120}
              placeholder={invitation.name}
              aria-describedby={`${id}-name-hint`}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
              }}
            />
            <p id={`${id}-name-hint`} className="field__hint">
              For a new login only. Left empty, Bosun uses “{invitation.name}”.
            </p>
          </div>
        </>
      ) : (
        <>
          <p className="notice">
            Your Bosun login has a second factor. Open your authenticator app and enter the code it
            shows for Bosun.
          </p>
          <SecondFactorCodeField value={code} onChange={setCode} allowRecoveryCode autoFocus />
        </>
      )}
      {error && message !== null ? (
        <p className="alert" role="alert">
          {message}
          {error.code === 'invalid_credentials' ? (
            <>
              {' '}
              <Link to="/forgot-password">Forgot your password?</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {error && message === null ? (
        <ProblemAlert error={error} fieldLabels={{ password: 'Password', name: 'Your name' }} />
      ) : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Accepting…' : 'Accept invitation'}
      </button>
    </form>
  );
}
