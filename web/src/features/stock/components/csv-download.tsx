/**
 * "Download CSV": fetches an export with the session's token and saves it through a Blob
 * object URL under its file name. Exports come from the server, so the button is disabled
 * offline, with a short note saying so.
 */
import { useId, useState } from 'react';

import { api, ApiError, type ApiClient } from '../../../api/client';
import { useBrowserOnline } from '../../../components/use-browser-online';

/** Saves `blob` as `fileName` through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has handed the bytes to the browser's download.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** The button, with what it downloads said to screen readers too. */
export function CsvDownload({
  fileName,
  fetchCsv,
  what,
}: {
  fileName: string;
  /** Fetches the CSV with the client given. */
  fetchCsv: (client: Pick<ApiClient, 'GET'>) => Promise<Blob>;
  /** What the file holds, e.g. "the catalogue". */
  what: string;
}) {
  const online = useBrowserOnline();
  const noteId = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function download() {
    setFailure(null);
    setBusy(true);
    try {
      saveBlob(await fetchCsv(api), fileName);
    } catch (e) {
      setFailure(
        e instanceof ApiError && e.isNetworkError
          ? 'The download needs the connection.'
          : e instanceof Error
            ? e.message
            : 'The file could not be downloaded.',
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button
        className="button"
        type="button"
        disabled={!online || busy}
        aria-describedby={online ? undefined : noteId}
        onClick={() => void download()}
      >
        Download CSV<span className="visually-hidden"> of {what}</span>
      </button>
      {online ? null : (
        <span id={noteId} className="field__hint">
          Downloads need the connection.
        </span>
      )}
      {failure ? <span role="alert">{failure}</span> : null}
    </>
  );
}
