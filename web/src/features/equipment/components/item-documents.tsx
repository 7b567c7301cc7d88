/**
 * An item's documents (manuals, drawings, certificates): name, type and size, opened or saved
 * through an authorised fetch. The list comes from the replica, so it shows offline; the bytes
 * need the connection unless this tab fetched them before (kept in memory, bounded).
 */
import { useId, useState } from 'react';

import { ApiError } from '../../../api/client';
import { useBrowserOnline } from '../../../components/use-browser-online';
import { fetchDocument, formatSize, isDocumentKept, typeWords, useItemDocuments, type ItemDocument } from '../api/documents';

/** The item's documents section. */
export function ItemDocuments({ equipmentId }: { equipmentId: string }) {
  const titleId = useId();
  const documents = useItemDocuments(equipmentId);
  const online = useBrowserOnline();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Documents
      </h2>
      {documents === undefined ? (
        <p className="notice" role="status">
          Loading documents…
        </p>
      ) : documents === null ? (
        <p className="notice">The documents could not be listed{online ? '' : ': they need the connection'}.</p>
      ) : documents.length === 0 ? (
        <p className="notice">No documents are attached to this item.</p>
      ) : (
        <>
          {online ? null : (
            <p className="notice">Offline: a document opens only if it was opened on this device since the app was loaded.</p>
          )}
          <ul className="documents" aria-labelledby={titleId}>
            {documents.map((d) => (
              <DocumentRow key={d.id} document={d} online={online} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DocumentRow({ document: d, online }: { document: ItemDocument; online: boolean }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const available = online || isDocumentKept(d.id);

  async function open(save: boolean) {
    setFailure(null);
    // Opened before the fetch so the browser counts it as the click's window, not a pop-up.
    const target = save ? null : window.open('', '_blank');
    setBusy(true);
    try {
      const blob = await fetchDocument(d.id);
      const url = URL.createObjectURL(blob);
      if (target) {
        target.location.href = url;
      } else {
        const a = document.createElement('a');
        a.href = url;
        a.download = d.file_name;
        a.click();
      }
      // Long enough for the other window to load it.
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 60_000);
    } catch (e) {
      target?.close();
      setFailure(
        e instanceof ApiError && e.isNetworkError
          ? 'This document needs the connection.'
          : e instanceof Error
            ? e.message
            : 'The document could not be fetched.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <li>
      <span>
        <strong>{d.file_name}</strong>
        <span className="equipment-item__details">
          {' '}
          · {typeWords(d.content_type)} · {formatSize(d.size_bytes)}
        </span>
      </span>
      <span className="button-row">
        <button className="button" type="button" disabled={busy || !available} onClick={() => void open(false)}>
          Open
        </button>
        <button className="button" type="button" disabled={busy || !available} onClick={() => void open(true)}>
          Download
        </button>
      </span>
      {available ? null : <span className="field__hint">Needs the connection.</span>}
      {failure ? <p role="alert">{failure}</p> : null}
    </li>
  );
}
