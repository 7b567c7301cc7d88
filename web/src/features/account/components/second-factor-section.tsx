/**
 * The person's second factor (TOTP): set it up (QR code and key, then a first code), see the
 * recovery codes once, turn it off (password and a code) and get new recovery codes (password).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../../../api/client';
import type { MfaStatusView, TotpEnrolmentView } from '../../../api/types';
import { CopyField } from '../../../components/copy-field';
import { ProblemAlert } from '../../../components/problem-alert';
import { SecondFactorCodeField, normaliseCode } from '../../../components/second-factor-code-field';
import { useAction } from '../../../components/use-action';
import { SIGNED_IN_HOME } from '../../../session/return-path';
import { useMfaEnrollmentRequired, useSession, useSignedInUser } from '../../../session/session-context';
import {
  beginTotp,
  confirmTotp,
  SECOND_FACTOR_KEY,
  useSecondFactor,
  renewRecoveryCodes,
  turnOffSecondFactor,
} from '../api/account';
import { OtpauthQrCode } from './otpauth-qr-code';
import { RecoveryCodes } from './recovery-codes';

/** What the section shows besides the overview. */
type Step =
  | { kind: 'overview' }
  | { kind: 'enrolling'; enrolment: TotpEnrolmentView }
  | { kind: 'codes'; codes: string[]; firstTime: boolean }
  | { kind: 'turning-off' }
  | { kind: 'renewing' };

/** A code or password problem in the person's words; null: the server's problem as it is. */
function describeFailure(error: ApiError): string | null {
  switch (error.code) {
    case 'invalid_mfa_code':
      return 'That code is wrong or was already used. Check that your phone’s clock is right, and enter the code the app shows now.';
    case 'invalid_credentials':
      return 'Your password is wrong.';
    case 'mfa_not_enrolling':
      return 'This set-up was started over elsewhere. Start again.';
    case 'mfa_required_by_company':
      return 'Your company requires a second factor of owners and admins, so it stays on.';
    default:
      return null;
  }
}

function Failure({ error }: { error: ApiError | null }) {
  if (error === null) return null;
  const message = describeFailure(error);
  return message === null ? (
    <ProblemAlert error={error} />
  ) : (
    <p className="alert" role="alert">
      {message}
    </p>
  );
}

/** The section. */
export function SecondFactorSection() {
  const id = useId();
  const user = useSignedInUser();
  const { markMfaEnrolled } = useSession();
  const enrollmentRequired = useMfaEnrollmentRequired();
  const queryClient = useQueryClient();
  const secondFactor = useSecondFactor();
  const [step, setStep] = useState<Step>({ kind: 'overview' });
  const [justEnrolled, setJustEnrolled] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: SECOND_FACTOR_KEY });
  };

  const status = secondFactor.data ?? null;
  const required = enrollmentRequired || (status !== null && status.required && !status.enabled);

  return (
    <section className="card account__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Second factor
      </h2>
      {required && step.kind !== 'codes' ? (
        <p className="notice notice--warning" role="status">
          {user.company.branding.display_name} requires a second factor of owners and admins. Set one up
          here to go on using Bosun.
        </p>
      ) : null}
      {secondFactor.isPending && step.kind === 'overview' ? (
        <p className="notice" role="status">
          Loading…
        </p>
      ) : null}
      {secondFactor.isError ? <ProblemAlert error={secondFactor.error} onRetry={() => void secondFactor.refetch()} /> : null}

      {step.kind === 'overview' && status ? (
        <Overview
          status={status}
          onEnrol={(enrolment) => {
            setStep({ kind: 'enrolling', enrolment });
          }}
          onTurnOff={() => {
            setStep({ kind: 'turning-off' });
          }}
          onRenew={() => {
            setStep({ kind: 'renewing' });
          }}
        />
      ) : null}
      {step.kind === 'enrolling' ? (
        <Enrolment
          enrolment={step.enrolment}
          onConfirmed={(codes) => {
            markMfaEnrolled();
            setStep({ kind: 'codes', codes, firstTime: true });
          }}
          onCancel={() => {
            setStep({ kind: 'overview' });
            refresh();
          }}
        />
      ) : null}
      {step.kind === 'codes' ? (
        <>
          {step.firstTime ? (
            <p className="notice notice--success" role="status">
              Your second factor is on. From now on, signing in asks for a code from your authenticator app.
            </p>
          ) : null}
          <RecoveryCodes
            codes={step.codes}
            account={user.email}
            onDone={() => {
              setJustEnrolled(step.firstTime);
              setStep({ kind: 'overview' });
              refresh();
            }}
          />
        </>
      ) : null}
      {step.kind === 'turning-off' ? (
        <TurnOff
          onDone={() => {
            setStep({ kind: 'overview' });
            refresh();
          }}
          onCancel={() => {
            setStep({ kind: 'overview' });
          }}
        />
      ) : null}
      {step.kind === 'renewing' ? (
        <Renew
          onRenewed={(codes) => {
            setStep({ kind: 'codes', codes, firstTime: false });
          }}
          onCancel={() => {
            setStep({ kind: 'overview' });
          }}
        />
      ) : null}
      {step.kind === 'overview' && justEnrolled ? (
        <p className="account__next">
          <Link to={SIGNED_IN_HOME}>Go to your vessels</Link>
        </p>
      ) : null}
    </section>
  );
}

function Overview({
  status,
  onEnrol,
  onTurnOff,
  onRenew,
}: {
  status: MfaStatusView;
  onEnrol: (enrolment: TotpEnrolmentView) => void;
  onTurnOff: () => void;
  onRenew: () => void;
}) {
  const { run, pending, error } = useAction(beginTotp, 'Could not start the set-up');

  if (!status.enabled) {
    return (
      <>
        <p className="account__state">
          <span className="badge">Off</span>
        </p>
        <p>
          With a second factor, signing in takes your password and a code from an authenticator app on
          your phone (such as Google Authenticator, Microsoft Authenticator or 1Password). Someone who
          learns your password still cannot get in.
        </p>
        {status.pending ? (
          <p className="notice">You started setting one up and did not finish. Start again to get a new QR code.</p>
        ) : null}
        <Failure error={error} />
        <button
          className="button button--primary"
          type="button"
          disabled={pending}
          onClick={() =>
            void run().then((outcome) => {
              if (outcome.ok) onEnrol(outcome.value);
            })
          }
        >
          {pending ? 'Starting…' : 'Set up a second factor'}
        </button>
      </>
    );
  }
  const few = status.recovery_codes_left <= 3;
  return (
    <>
      <p className="account__state">
        <span className="badge badge--operational">On</span>
      </p>
      <p>Signing in takes your password and a code from your authenticator app.</p>
      <p className={few ? 'notice notice--warning' : 'notice'}>
        {status.recovery_codes_left === 1
          ? '1 recovery code left.'
          : `${status.recovery_codes_left} recovery codes left.`}
        {few ? ' Get new ones before you run out.' : ''}
      </p>
      <div className="button-row">
        <button className="button" type="button" onClick={onRenew}>
          New recovery codes
        </button>
        {status.required ? null : (
          <button className="button button--danger" type="button" onClick={onTurnOff}>
            Turn off
          </button>
        )}
      </div>
      {status.required ? (
        <p className="field__hint">Your company requires a second factor of owners and admins, so it stays on.</p>
      ) : null}
    </>
  );
}

/** Splits a base32 key into groups of four, as authenticator apps accept it typed. */
function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function Enrolment({
  enrolment,
  onConfirmed,
  onCancel,
}: {
  enrolment: TotpEnrolmentView;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [code, setCode] = useState('');
  const { run, pending, error } = useAction(confirmTotp, 'Could not turn the second factor on');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const outcome = await run(normaliseCode(code));
    if (outcome.ok) onConfirmed(outcome.value);
    else setCode('');
  }

  return (
    <form className="enrolment" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`} className="enrolment__title">
        Set up your authenticator app
      </h3>
      <ol className="enrolment__steps">
        <li>
          <p>In your authenticator app, add an account and scan this QR code.</p>
          <OtpauthQrCode url={enrolment.otpauth_url} />
          <CopyField
            label="Key to type in instead"
            value={groupKey(enrolment.secret)}
            hint="Can’t scan? Choose to enter a key in the app, and type this one (time based)."
          />
          <p className="field__hint">
            On this phone? <a href={enrolment.otpauth_url}>Open the link in your authenticator app</a>.
          </p>
        </li>
        <li>
          <p>Enter the code the app now shows for Bosun.</p>
          <SecondFactorCodeField value={code} onChange={setCode} />
        </li>
      </ol>
      <Failure error={error} />
      <div className="button-row">
        <button className="button button--primary" type="submit" disabled={pending}>
          {pending ? 'Checking…' : 'Turn on'}
        </button>
        <button className="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function PasswordField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-password`}>Your password</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
    </div>
  );
}

function TurnOff({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { run, pending, error } = useAction(turnOffSecondFactor, 'Could not turn the second factor off');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if ((await run(password, normaliseCode(code))).ok) onDone();
  }

  return (
    <form aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`} className="enrolment__title">
        Turn off the second factor
      </h3>
      <p>Signing in will take your password only. Bosun signs you out on your other devices.</p>
      <PasswordField value={password} onChange={setPassword} />
      <SecondFactorCodeField value={code} onChange={setCode} allowRecoveryCode />
      <Failure error={error} />
      <div className="button-row">
        <button className="button button--danger" type="submit" disabled={pending}>
          {pending ? 'Turning off…' : 'Turn off'}
        </button>
        <button className="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Renew({ onRenewed, onCancel }: { onRenewed: (codes: string[]) => void; onCancel: () => void }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const { run, pending, error } = useAction(renewRecoveryCodes, 'Could not make new recovery codes');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const outcome = await run(password);
    if (outcome.ok) onRenewed(outcome.value);
  }

  return (
    <form aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`} className="enrolment__title">
        New recovery codes
      </h3>
      <p>Your old recovery codes stop working, and you get ten new ones.</p>
      <PasswordField value={password} onChange={setPassword} />
      <Failure error={error} />
      <div className="button-row">
        <button className="button button--primary" type="submit" disabled={pending}>
          {pending ? 'Making codes…' : 'Make new codes'}
        </button>
        <button className="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
