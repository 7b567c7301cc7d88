/**
 * An item's documents (manuals, drawings, certificates): name, type and size, opened or saved
 * through an authorised fetch. The list comes from the replica, so it shows offline; the bytes
 * of a document opened here, or chosen with "Keep offline", are kept in the person's database
 * (api/kept-documents.ts), so those open offline too, also after a reload. The others need the
 * connection, and say so.
 */
import { useId, useState } from 'react';

import { api, ApiError } from '../../../api/client';
import { useBrowserOnline } from '../../../components/use-browser-online';
import type { KeptDocument, SyncDatabase } from '../../../sync/database';
import { useSyncClient } from '../../../sync/sync-context';
import { formatSize, typeWords, useItemDocuments, type ItemDocument } from '../api/documents';
import { DocumentNotKept, forgetKeptDocument, keepDocumentOffline, openDocument, useKeptDocuments } from '../api/kept-documents';

/** The item's documents section. */
export function ItemDocuments({ equipmentId }: { equipmentId: string }) {
  const titleId = useId();
  const documents = useItemDocuments(equipmentId);
  const online = useBrowserOnline();
  const db = useSyncClient()?.db ?? null;
  const kept = useKeptDocuments(db);
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
            <p className="notice">
              {db
                ? 'Offline: documents on this device open; the others need the connection.'
                : 'Offline: documents need the connection.'}
            </p>
          )}
          <ul className="documents" aria-labelledby={titleId}>
            {documents.map((d) => (
              <DocumentRow key={d.id} document={d} online={online} db={db} kept={kept?.get(d.id.toLowerCase()) ?? null} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface RowProps {
  document: ItemDocument;
  online: boolean;
  /** The person's database; null without a sync client (nothing is kept then). */
  db: SyncDatabase | null;
  /** Its bytes on this device, if kept. */
  kept: KeptDocument | null;
}

function DocumentRow({ document: d, online, db, kept }: RowProps) {
  const [failure, setFailure] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const available = online || kept !== null;
  const name = <span className="visually-hidden"> {d.file_name}</span>;

  async function open(save: boolean) {
    setFailure(null);
    setNote(null);
    // Opened before the fetch so the browser counts it as the click's window, not a pop-up.
    const target = save ? null : window.open('', '_blank');
    setBusy(true);
    try {
      const { blob, notKept } = await openDocument(db, api, d);
      setNote(notKept);
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
      setFailure(failureSentence(e));
    } finally {
      setBusy(false);
    }
  }

  async function keep() {
    if (!db) return;
    setFailure(null);
    setNote(null);
    setBusy(true);
    try {
      await keepDocumentOffline(db, api, d);
    } catch (e) {
      setFailure(e instanceof DocumentNotKept ? e.message : failureSentence(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!db) return;
    setFailure(null);
    setNote(null);
    try {
      await forgetKeptDocument(db, d.id);
    } catch {
      setFailure('The document could not be removed from this device.');
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
        {kept ? (
          <span className="field__hint documents__kept">
            On this device · {formatSize(kept.size)}
            {kept.chosen ? ' · kept offline' : ''}
          </span>
        ) : null}
      </span>
      <span className="button-row">
        <button className="button" type="button" disabled={busy || !available} onClick={() => void open(false)}>
          Open{name}
        </button>
        <button className="button" type="button" disabled={busy || !available} onClick={() => void open(true)}>
          Download{name}
        </button>
        {db === null ? null : kept?.chosen !== true ? (
          <button className="button" type="button" disabled={busy || !available} onClick={() => void keep()}>
            Keep offline{name}
          </button>
        ) : null}
        {db !== null && kept !== null ? (
          <button className="link-button" type="button" disabled={busy} onClick={() => void remove()}>
            Remove from device{name}
          </button>
        ) : null}
      </span>
      {available ? null : <span className="field__hint">Needs the connection: not kept on this device.</span>}
      {note ? <p className="field__hint">{note}</p> : null}
      {failure ? <p role="alert">{failure}</p> : null}
    </li>
  );
}

function failureSentence(e: unknown): string {
  return e instanceof ApiError && e.isNetworkError
    ? 'This document needs the connection.'
    : e instanceof Error
      ? e.message
      : 'The document could not be fetched.';
}
