/**
 * `/account`: the signed-in person's own account — second factor, password, and the devices
 * they are signed in on. When the company requires a second factor the person has not set up,
 * the rest of the app sends them here, and this page says why.
 */
import { useQueryClient } from '@tanstack/react-query';
import { roleLabel } from '../../../components/role-label';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { SESSIONS_KEY } from '../api/account';
import { PasswordSection } from './password-section';
import { SecondFactorSection } from './second-factor-section';
import { SessionsSection } from './sessions-section';

/** The account page. */
export function AccountPage() {
  useDocumentTitle('Your account');
  const user = useSignedInUser();
  const queryClient = useQueryClient();

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
            // A password change ends the other sessions: the list is read again.
            void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
          }}
        />
        <SessionsSection />
      </div>
    </section>
  );
}
