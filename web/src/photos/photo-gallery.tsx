/**
 * Photos of a fault or an item: the server's (the replica's `attachment` rows, their thumbnails
 * fetched with the token and kept on the device; a pending one, attached from its thumbnail
 * while its full image is on its way, says so) and those still on this device (their own
 * thumbnail, marked with how far they got), each opening its full image; and taking more with
 * the phone's camera (`capture="environment"`, several at once), resized on the device and
 * queued for the syncing tab to upload. `PhotoPicker` holds photos chosen before the record
 * they are for is sent (reporting a fault).
 */
import './photos.css';
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent, type Dispatch, type SetStateAction } from 'react';

import { api } from '../api/client';
import { may } from '../components/permissions';
import { useBrowserOnline } from '../components/use-browser-online';
import { useSignedInUser } from '../session/session-context';
import type { PhotoParentKind, StoredRow, SyncDatabase } from '../sync/database';
import { ENTITY } from '../sync/entities';
import { fieldOf, useReplicaRows } from '../sync/replica-queries';
import { useSyncClient, type SyncClient } from '../sync/sync-context';
import { isAttached, prepareInBrowser, queuePhoto, removePhoto, useLocalPhotos, type LocalPhoto, type PreparedPhoto } from './photo-queue';
import { dataUrlOf, PhotoError } from './resize';
import { fetchFullImage, useThumbnail } from './thumbnails';

/** A photo the server holds, from the replica. */
interface ServerPhoto {
  id: string;
  fileName: string;
  contentType: string;
  createdAt: string;
  /** Attached from its thumbnail while the full image is on its way (its content is not served yet). */
  pending: boolean;
}

const text = (row: StoredRow, field: string) => {
  const v = fieldOf(row, field);
  return typeof v === 'string' ? v : '';
};

/** The server's photos of one record, oldest first. */
function useServerPhotos(kind: PhotoParentKind, parentId: string): ServerPhoto[] | undefined {
  const rows = useReplicaRows(ENTITY.attachment, null);
  return useMemo(() => {
    if (!rows) return undefined;
    const id = parentId.toLowerCase();
    return rows
      .filter((r) => text(r, 'parent_kind') === kind && text(r, 'parent_id').toLowerCase() === id && text(r, 'kind') === 'photo')
      .map((r) => ({
        id: r.id,
        fileName: text(r, 'file_name'),
        contentType: text(r, 'content_type'),
        createdAt: text(r, 'created_at'),
        pending: fieldOf(r, 'pending') === true,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }, [rows, kind, parentId]);
}

/**
 * What the viewer shows: a photo's full image, or, for a server photo opened offline (or whose
 * image cannot be fetched), the thumbnail kept on the device (`preview`), with a sentence. A
 * photo on this device has its full image here, so no preview.
 */
type Opened = { name: string; load: () => Promise<string>; preview: string | null };

/** The full image of a pending photo has not reached the server yet (nor is it on this device). */
class FullImagePending extends Error {}

interface GalleryProps {
  parentKind: PhotoParentKind;
  parentId: string;
  /** The record's vessel (uploads name it); null while the device does not know it. */
  vesselId: string | null;
}

/**
 * The photos of a record, and taking more for roles with `attachment.upload`; nothing without
 * a sync client (the photos live in the person's database).
 */
export function PhotoGallery(props: GalleryProps) {
  const sync = useSyncClient();
  return sync ? <Gallery {...props} sync={sync} /> : null;
}

function Gallery({ parentKind, parentId, vesselId, sync }: GalleryProps & { sync: SyncClient }) {
  const titleId = useId();
  const user = useSignedInUser();
  const canAdd = may(user.role, 'attachment.upload');
  const server = useServerPhotos(parentKind, parentId);
  const local = useLocalPhotos(parentKind, parentId);
  const online = useBrowserOnline();
  const [opened, setOpened] = useState<Opened | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const onServer = new Set((server ?? []).map((p) => p.id));
  const waiting = (local ?? []).filter((p) => !onServer.has(p.id));
  const count = (server?.length ?? 0) + waiting.length;

  async function add(files: File[]) {
    if (vesselId === null) return;
    setFailure(null);
    setWorking(true);
    const problems: string[] = [];
    for (const file of files) {
      try {
        const prepared = await prepareInBrowser(file);
        await queuePhoto(sync.db, prepared, { kind: parentKind, id: parentId, vesselId });
      } catch (e) {
        problems.push(`${file.name}: ${e instanceof PhotoError ? e.message : 'the photo could not be kept on this device.'}`);
      }
    }
    setWorking(false);
    if (problems.length > 0) setFailure(problems.join(' '));
    sync.runner.notify('local-write');
  }

  return (
    <section className="card photos" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Photos
      </h2>
      {server === undefined || local === undefined ? null : count === 0 ? (
        <p className="notice">No photos yet.</p>
      ) : (
        <ul className="photo-grid" aria-labelledby={titleId}>
          {server.map((p) => {
            // A pending photo taken here opens from this device; one taken elsewhere waits.
            const here = p.pending ? local.find((l) => l.id === p.id) : undefined;
            const load = here
              ? () => localFullImage(sync.db, here)
              : p.pending
                ? () => Promise.reject(new FullImagePending())
                : () => fetchFullImage(api, p.id, p.contentType);
            return (
              <ServerPhotoItem
                key={p.id}
                photo={p}
                online={online}
                onDevice={here?.thumbnailUrl ?? null}
                onOpen={(preview) => {
                  setOpened({ name: p.fileName, load, preview: here ? null : preview });
                }}
              />
            );
          })}
          {waiting.map((p) => (
            <LocalPhotoItem
              key={p.id}
              photo={p}
              onOpen={() => {
                setOpened({ name: p.fileName, load: () => localFullImage(sync.db, p), preview: null });
              }}
              onRemove={() => void removePhoto(sync.db, p.id)}
            />
          ))}
        </ul>
      )}
      {canAdd ? (
        vesselId === null ? (
          <p className="notice">Photos can be added once this record has synced to the device.</p>
        ) : (
          <PhotoInput label="Add photo" busy={working} onFiles={(files) => void add(files)} />
        )
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
      {opened ? (
        <PhotoViewer
          opened={opened}
          onClose={() => {
            setOpened(null);
          }}
        />
      ) : null}
    </section>
  );
}

async function localFullImage(db: SyncDatabase, photo: LocalPhoto): Promise<string> {
  const file = await db.photoFiles.get(photo.id);
  if (!file) throw new Error('The photo is no longer on this device.');
  return dataUrlOf(file.bytes, photo.contentType);
}

/** A server photo; `onDevice` is its own thumbnail when it was taken here and its full image is still going. */
function ServerPhotoItem({
  photo,
  online,
  onDevice,
  onOpen,
}: {
  photo: ServerPhoto;
  online: boolean;
  onDevice: string | null;
  onOpen: (preview: string | null) => void;
}) {
  const thumbnail = useThumbnail(photo.id, online && onDevice === null);
  return (
    <li className="photo">
      <button
        className="photo__open"
        type="button"
        onClick={() => {
          onOpen(thumbnail.url);
        }}
        aria-label={`Open photo ${photo.fileName}`}
        // Offline, one whose thumbnail is kept opens to that (the full image is not kept).
        disabled={!online && onDevice === null && thumbnail.url === null}
      >
        {onDevice !== null ? (
          <img src={onDevice} alt={`Photo ${photo.fileName}`} data-source="device" />
        ) : thumbnail.url ? (
          <img src={thumbnail.url} alt={`Photo ${photo.fileName}`} data-source="server" />
        ) : (
          <span className="photo__placeholder">{thumbnail.loading ? 'Loading…' : online ? 'No preview' : 'Shown when online'}</span>
        )}
      </button>
      {photo.pending ? <span className="pending pending--queued">Full image on its way</span> : null}
    </li>
  );
}

function LocalPhotoItem({ photo, onOpen, onRemove }: { photo: LocalPhoto; onOpen: () => void; onRemove: () => void }) {
  return (
    <li className="photo">
      <button className="photo__open" type="button" onClick={onOpen} aria-label={`Open photo ${photo.fileName}`}>
        <img src={photo.thumbnailUrl} alt={`Photo ${photo.fileName}`} data-source="device" />
      </button>
      <span className={`pending pending--${photo.state === 'rejected' ? 'rejected' : 'queued'}`} title={photo.detail}>
        {photo.label}
      </span>
      {photo.state === 'rejected' && photo.detail ? <span className="photo__reason">{photo.detail}</span> : null}
      {isAttached(photo) ? null : (
        <button className="link-button" type="button" onClick={onRemove}>
          {photo.state === 'rejected' ? 'Dismiss' : 'Remove'}
          <span className="visually-hidden"> photo {photo.fileName}</span>
        </button>
      )}
    </li>
  );
}

/** The file input that opens the phone's camera (or a picker), several photos at once. */
export function PhotoInput({ label, busy, onFiles }: { label: string; busy: boolean; onFiles: (files: File[]) => void }) {
  const id = useId();
  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    // Cleared so the same picture can be chosen again after a removal.
    e.target.value = '';
    if (files.length > 0) onFiles(files);
  };
  return (
    <div className="field photo-input">
      <label htmlFor={id} className="button">
        {busy ? 'Preparing photos…' : label}
      </label>
      <input id={id} className="visually-hidden" type="file" accept="image/*" capture="environment" multiple onChange={onChange} disabled={busy} />
    </div>
  );
}

/**
 * Photos chosen before what they are for is sent (reporting a fault): resized at once, each
 * shown and removable; the page keeps them on the device when it sends.
 */
export function PhotoPicker({ photos, onChange }: { photos: PreparedPhoto[]; onChange: Dispatch<SetStateAction<PreparedPhoto[]>> }) {
  const titleId = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  async function add(files: File[]) {
    setFailure(null);
    setWorking(true);
    const problems: string[] = [];
    const added: PreparedPhoto[] = [];
    for (const file of files) {
      try {
        added.push(await prepareInBrowser(file));
      } catch (e) {
        problems.push(`${file.name}: ${e instanceof PhotoError ? e.message : 'the photo could not be prepared.'}`);
      }
    }
    setWorking(false);
    onChange((held) => {
      const known = new Set(held.map((p) => p.key));
      return [...held, ...added.filter((p) => !known.has(p.key))];
    });
    if (problems.length > 0) setFailure(problems.join(' '));
  }

  return (
    <div className="photo-picker">
      <p id={titleId} className="field__hint">
        Photos (optional): they are kept on this device with the report and sent when there is a connection.
      </p>
      {photos.length > 0 ? (
        <ul className="photo-grid" aria-labelledby={titleId}>
          {photos.map((p) => (
            <li key={p.key} className="photo">
              <img src={p.thumbnailUrl} alt={`Photo ${p.fileName}`} />
              <button
                className="link-button"
                type="button"
                onClick={() => {
                  onChange((held) => held.filter((q) => q.key !== p.key));
                }}
              >
                Remove<span className="visually-hidden"> photo {p.fileName}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <PhotoInput label={photos.length > 0 ? 'Take another photo' : 'Take a photo'} busy={working} onFiles={(files) => void add(files)} />
      {failure ? <p role="alert">{failure}</p> : null}
    </div>
  );
}

/**
 * A photo's full image over the page; Escape or "Close" closes it. Offline, or when the full
 * image cannot be fetched, the thumbnail kept on the device is shown instead, saying so.
 */
function PhotoViewer({ opened, onClose }: { opened: Opened; onClose: () => void }) {
  const titleId = useId();
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [fullPending, setFullPending] = useState(false);
  const close = useRef<HTMLButtonElement>(null);
  // Opened offline, a photo with a kept thumbnail is not fetched: the thumbnail is all there is
  // (read once: the viewer is opened again to fetch the full photo once online).
  const [offlineWhenOpened] = useState(() => !navigator.onLine);
  const previewOnly = offlineWhenOpened && opened.preview !== null;
  useEffect(() => {
    let live = true;
    close.current?.focus();
    if (previewOnly) return;
    opened.load().then(
      (u) => {
        if (live) setUrl(u);
      },
      (error: unknown) => {
        if (!live) return;
        setFullPending(error instanceof FullImagePending);
        setFailure(
          error instanceof FullImagePending
            ? 'The full image is on its way from the device that took it; only its thumbnail has arrived so far.'
            : 'The photo could not be loaded. It needs a connection the first time.',
        );
      },
    );
    return () => {
      live = false;
    };
  }, [opened, previewOnly]);
  return (
    <div
      className="photo-viewer"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="photo-viewer__bar">
        <h3 id={titleId}>{opened.name}</h3>
        <button ref={close} className="button" type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {url ? (
        <img src={url} alt={`Photo ${opened.name}, full size`} />
      ) : (previewOnly || failure) && opened.preview ? (
        <div className="photo-viewer__preview">
          <p role="status">
            {fullPending
              ? 'The full image is on its way from the device that took it; this is its thumbnail.'
              : 'The full photo needs the connection; this is the preview kept on this device.'}
          </p>
          <img src={opened.preview} alt={`Photo ${opened.name}, preview`} />
        </div>
      ) : failure ? (
        <p role="alert">{failure}</p>
      ) : (
        <p role="status">Loading photo…</p>
      )}
    </div>
  );
}
