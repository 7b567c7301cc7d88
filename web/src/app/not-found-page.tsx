/**
 * Any path the app does not know.
 */
import { Link } from 'react-router';
import { useDocumentTitle } from '../components/use-document-title';

/** Says the page does not exist and offers the way home. */
export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <main className="splash">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to Bosun’s start page</Link>
      </p>
    </main>
  );
}
