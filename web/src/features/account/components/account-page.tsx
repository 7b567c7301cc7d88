/**
 * `/account`: the signed-in person's own account — second factor, password, and the devices
 * they are signed in on. When the company requires a second factor the person has not set up,
 * the rest of the app sends them here, and this page says why.
 */
import { useState } from 'react';
import { roleLabel } from '../../../components/role-label';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { PasswordSection } from './password-section';
import { SecondFactorSection } from './second-factor-section';
import { SessionsSection } from './sessions-section';

/** The account page. */
export function AccountPage() {
  useDocumentTitle('Your account');
  const user = useSignedInUser();
  // A password change ends the other sessions: the list is read again.
  const [sessionsVersion, setSessionsVersion] = useState(0);

  return (
    <section className="account" aria-labelledby="account-title">
      <div className="page-heading">
        <h1 id="account-title" className="page-title">
          Your account
        </h1>
        <p className="page-heading__sub">
          {user.email} · {roleLabel(user.role)} at {user.company.branding.display_name}
        </p>
      </div>
      <div className="account__sections">
        <SecondFactorSection />
        <PasswordSection
          email={user.email}
          onChanged={() => {
            setSessionsVersion((n) => n + 1);
          }}
        />
        <SessionsSection version={sessionsVersion} />
      </div>
    </section>
  );
}
