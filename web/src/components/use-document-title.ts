/**
 * Keeps the browser tab's title in step with the page shown.
 */
import { useEffect } from 'react';

/** Sets `document.title` to "<title> · Bosun" while the calling component is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Bosun` : 'Bosun';
  }, [title]);
}
