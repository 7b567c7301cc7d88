/**
 * `/people`: the company's people and the ways in. Owners, admins and managers see the people
 * and open invitations; owners and admins also invite, withdraw invitations, manage API keys
 * (whether owners and admins need a second factor is on the company page). What a role cannot do
 * is not shown.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ADMINISTERING_ROLES, LISTING_ROLES, PEOPLE_KEYS } from '../api/people';
import { ApiKeysSection } from './api-keys-section';
import { InvitationsList } from './invitations-list';
import { InviteForm } from './invite-form';
import { MembersList } from './members-list';

/** The people page. */
export function PeoplePage() {
  useDocumentTitle('People');
  const user = useSignedInUser();
  const queryClient = useQueryClient();

  if (!LISTING_ROLES.includes(user.role)) {
    return (
      <section className="people" aria-labelledby="people-title">
        <h1 id="people-title" className="page-title">
          People
        </h1>
        <p className="notice">Only owners, admins and managers see the company’s people.</p>
      </section>
    );
  }
  const administers = ADMINISTERING_ROLES.includes(user.role);
  return (
    <section className="people" aria-labelledby="people-title">
      <div className="page-heading">
        <h1 id="people-title" className="page-title">
          People
        </h1>
        <p className="page-heading__sub">{user.company.branding.display_name}</p>
      </div>
      <div className="people__sections">
        {administers ? (
          <section className="card people__section" aria-labelledby="invite-title">
            <h2 id="invite-title" className="card__title">
              Invite someone
            </h2>
            <InviteForm
              inviterRole={user.role}
              onInvited={() => {
                // An accepted invitation turns into a person: both lists are read again.
                void queryClient.invalidateQueries({ queryKey: PEOPLE_KEYS.invitations });
                void queryClient.invalidateQueries({ queryKey: PEOPLE_KEYS.members });
              }}
            />
          </section>
        ) : null}
        <section className="card people__section" aria-labelledby="invitations-title">
          <h2 id="invitations-title" className="card__title">
            Open invitations
          </h2>
          <InvitationsList viewerRole={user.role} />
        </section>
        <section className="card people__section" aria-labelledby="members-title">
          <h2 id="members-title" className="card__title">
            Everyone in the company
          </h2>
          <MembersList {...(administers ? { editorRole: user.role } : {})} />
        </section>
        {administers ? <ApiKeysSection /> : null}
      </div>
    </section>
  );
}
