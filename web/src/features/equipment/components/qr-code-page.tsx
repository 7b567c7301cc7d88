/**
 * `/q/:code`: where a scanned equipment label lands. Finds the item the code names and replaces
 * itself with the item's page, so "back" skips the lookup.
 */
import { Link, Navigate, useParams } from 'react-router';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useQrCodeLookup } from '../api/find-by-qr-code';

/** Resolves the code and redirects, or says that no item has it. */
export function QrCodePage() {
  const { code = '' } = useParams();
  const lookup = useQrCodeLookup(code);
  useDocumentTitle(lookup.isSuccess && lookup.data === null ? 'Unknown code' : 'Opening equipment');

  switch (lookup.status) {
    case 'pending':
      return (
        <p className="notice" role="status">
          Looking up code {code}…
        </p>
      );
    case 'error':
      return <ProblemAlert error={lookup.error} onRetry={() => void lookup.refetch()} />;
    case 'success':
      if (lookup.data !== null) {
        return <Navigate to={`/equipment/${encodeURIComponent(lookup.data.id)}`} replace />;
      }
      return (
        <section className="qr-unknown" aria-labelledby="qr-unknown-title">
          <h1 id="qr-unknown-title" className="page-title">
            No equipment with code “{code}”
          </h1>
          <p className="notice">
            The label may belong to another company, or to a vessel you are not assigned to, or the item
            has been removed. Find the item in your vessel’s equipment instead.
          </p>
          <p>
            <Link className="button" to="/vessels">
              Go to your vessels
            </Link>
          </p>
        </section>
      );
  }
}
