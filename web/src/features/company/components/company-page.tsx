/**
 * `/company` (owners and admins): the company's branding, its second-factor rule and its
 * purchasing settings. Written to the server only: offline it says it needs the link.
 */
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { BrandingForm } from './branding-form';
import { PurchasingSection } from './purchasing-section';
import { SecuritySection } from './security-section';

/** The page. */
export function CompanyPage() {
  useDocumentTitle('Company');
  const user = useSignedInUser();
  const mayBrand = may(user.role, 'company.branding.update');
  const maySecure = may(user.role, 'company.security.update');
  const mayPurchase = may(user.role, 'company.purchasing.update');
  return (
    <section className="company" aria-labelledby="company-title">
      <div className="page-heading">
        <h1 id="company-title" className="page-title">
          Company
        </h1>
        <p className="page-heading__sub">{user.company.name}</p>
      </div>
      {!mayBrand && !maySecure && !mayPurchase ? (
        <p className="notice">Only owners and admins change the company’s settings.</p>
      ) : (
        <OnlineOnly what="Changing the company’s settings">
          <div className="company__sections">
            {mayBrand ? (
              <section className="card company__section" aria-labelledby="branding-title">
                <h2 id="branding-title" className="card__title">
                  Branding
                </h2>
                <BrandingForm />
              </section>
            ) : null}
            {maySecure ? <SecuritySection /> : null}
            {mayPurchase ? <PurchasingSection /> : null}
          </div>
        </OnlineOnly>
      )}
    </section>
  );
}
