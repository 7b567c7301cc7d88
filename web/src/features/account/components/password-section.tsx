/**
 * Changing one's password: the current one, then the new one twice. Every other session of
 * the login ends.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { NewPasswordFields, newPasswordProblem } from '../../../components/new-password-fields';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { changePassword } from '../api/account';

/** The section; `onChanged` runs after the server took the new password. */
export function PasswordSection({ email, onChanged }: { email: string; onChanged: () => void }) {
  const id = useId();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mistake, setMistake] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const { run, pending, error } = useAction(changePassword, 'Could not change the password');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    const problem = newPasswordProblem(password, repeated);
    setMistake(problem);
    if (problem !== null) return;
    if ((await run(current, password)).ok) {
      setCurrent('');
      setPassword('');
      setRepeated('');
      setChanged(true);
      onChanged();
    }
  }

  const wrongCurrent = error?.code === 'invalid_credentials';
  return (
    <section className="card account__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Password
      </h2>
      <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
        {/* For password managers: the login this password belongs to. */}
        <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
        <div className="field">
          <label htmlFor={`${id}-current`}>Current password</label>
          <input
            id={`${id}-current`}
            name="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => {
              setCurrent(e.target.value);
            }}
          />
        </div>
        <NewPasswordFields password={password} repeated={repeated} onPassword={setPassword} onRepeated={setRepeated} />
        {mistake ? (
          <p className="alert" role="alert">
            {mistake}
          </p>
        ) : null}
        {wrongCurrent ? (
          <p className="alert" role="alert">
            Your current password is wrong.
          </p>
        ) : null}
        {error && !wrongCurrent ? (
          <ProblemAlert
            error={error}
            fieldLabels={{ current_password: 'Current password', new_password: 'New password' }}
          />
        ) : null}
        {changed ? (
          <p className="notice notice--success" role="status">
            Your password is changed. Bosun signed you out on your other devices.
          </p>
        ) : null}
        <button className="button button--primary" type="submit" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
