/**
 * Uploading the photos taken on this device (docs/SYNC.md "Attachments"), in the syncing tab's
 * cycle, after its mutations were pushed: oldest photo first, each resumable.
 *
 * - Begin (`POST /sync/uploads`: the server answers the bytes it holds, all of them when the
 *   company has the file already), then `PATCH` chunks of at most 256 KiB from the server's
 *   offset. A dropped link stops the uploads until the next cycle, which asks the server again
 *   where each stands; a `409 upload_offset_mismatch` (a chunk whose answer was lost) goes on
 *   from the offset the refusal names (or, when it names none, the one a `GET` gives).
 * - Once every byte is there, `attach_file.v1` is queued in the outbox with the photo marked
 *   `attaching` in the same transaction, so the attach is queued exactly once and goes through
 *   the normal push. The bytes are deleted only when the server accepted the attach; a refused
 *   attach (or upload: forbidden, too large, not an image) keeps the photo with the server's
 *   reason until the person dismisses it.
 * - A temporary refusal (429, 5xx) or an expired session stops the uploads for this cycle.
 */
import { ApiError, answer, type ApiClient } from '../api/client';
import type { components } from '../api/schema.gen';
import type { Problem } from '../api/types';
import type { PhotoEntry, SyncDatabase } from './database';
import type { SyncEngine, SyncReport } from './engine';

type UploadView = components['schemas']['UploadView'];
type BeginUploadBody = components['schemas']['BeginUploadBody'];

/** The largest chunk the server takes. */
export const MAX_CHUNK = 256 * 1024;

/** The upload routes, as the uploader uses them. */
export interface UploadApi {
  begin(body: BeginUploadBody): Promise<UploadView>;
  state(sha256: string): Promise<UploadView>;
  append(sha256: string, offset: number, chunk: Uint8Array): Promise<UploadView>;
}

/** The upload routes through the typed client. */
export function uploadApiOf(client: Pick<ApiClient, 'GET' | 'POST' | 'PATCH'>): UploadApi {
  return {
    begin: (body) => answer(client.POST('/api/v1/sync/uploads', { body })),
    state: (sha256) => answer(client.GET('/api/v1/sync/uploads/{sha256}', { params: { path: { sha256 } } })),
    append: (sha256, offset, chunk) =>
      answer(
        client.PATCH('/api/v1/sync/uploads/{sha256}', {
          params: { path: { sha256 }, header: { 'Upload-Offset': offset } },
          // The generated type of a binary body is a string; the chunk's bytes go as they are.
          body: '',
          bodySerializer: () => chunk,
          headers: { 'Content-Type': 'application/octet-stream' },
        }),
      ),
  };
}

/** What became of one cycle's uploads. */
export interface UploadReport {
  /** Attaches queued in the outbox. */
  attached: number;
  /** Photos the server refused. */
  refused: number;
  /** Chunks sent. */
  chunks: number;
  /** Why the uploads stopped early, if they did. */
  stopped: 'link' | 'temporary' | 'session' | null;
}

type Outcome = 'attached' | 'refused' | 'link' | 'temporary' | 'session';

/** Part of the engine the uploader queues through. */
type Enqueue = Pick<SyncEngine, 'enqueue'>;

/** The refusal's code and sentence for the person: a field's when the problem names one. */
export function reasonOf(problem: Problem): { code: string; detail: string } {
  const field = problem.errors?.[0];
  return {
    code: field?.code ?? problem.code ?? `http_${problem.status}`,
    detail: field?.message ?? problem.detail ?? problem.title,
  };
}

/** The offset a `409 upload_offset_mismatch` names ("send from offset N"), if it names one. */
export function offsetNamed(problem: Problem): number | null {
  const found = /offset (\d+)/.exec(problem.detail ?? '');
  return found ? Number(found[1]) : null;
}

/** The photo was already marked attaching by another cycle: its attach is queued already. */
class AlreadyAttaching extends Error {}

/** Uploads one database's photos. */
export class Uploader {
  constructor(
    private readonly db: SyncDatabase,
    private readonly engine: Enqueue,
    private readonly api: UploadApi,
  ) {}

  /** Uploads the waiting photos, oldest first, until one cannot go on. */
  async uploadAll(): Promise<UploadReport> {
    const report: UploadReport = { attached: 0, refused: 0, chunks: 0, stopped: null };
    const waiting = await this.db.photos.orderBy('queuedAt').filter((p) => p.state === 'queued' || p.state === 'uploading').primaryKeys();
    for (const id of waiting) {
      const photo = await this.db.photos.get(id);
      // Removed by the person meanwhile, or moved on by another tab's last cycle.
      if (!photo || (photo.state !== 'queued' && photo.state !== 'uploading')) continue;
      const outcome = await this.upload(photo, report);
      if (outcome === 'attached') report.attached += 1;
      else if (outcome === 'refused') report.refused += 1;
      else {
        report.stopped = outcome;
        break;
      }
    }
    return report;
  }

  /**
   * Moves photos whose attach the server answered: accepted (or no longer in the outbox, which
   * keeps only the newest accepted writes) deletes the photo; refused keeps it with the reason.
   */
  async settle(): Promise<void> {
    await this.db.transaction('rw', [this.db.photos, this.db.photoFiles, this.db.outbox], async () => {
      const attaching = await this.db.photos.filter((p) => p.state === 'attaching').toArray();
      for (const photo of attaching) {
        const entry = photo.mutationId === undefined ? undefined : await this.db.outbox.get(photo.mutationId);
        if (!entry || entry.state === 'accepted') {
          await this.db.photos.delete(photo.id);
          await this.db.photoFiles.delete(photo.id);
        }
        else if (entry.state === 'rejected') {
          await this.db.photos.update(photo.id, {
            state: 'rejected',
            code: entry.code ?? 'rejected',
            detail: entry.detail ?? 'The server refused to attach the photo.',
          });
        }
      }
    });
  }

  private async upload(photo: PhotoEntry, report: UploadReport): Promise<Outcome> {
    const file = await this.db.photoFiles.get(photo.id);
    if (!file) return this.refuse(photo, { code: 'photo_missing', detail: 'The photo’s image is no longer on this device.' });
    const bytes = new Uint8Array(file.bytes);
    let view: UploadView;
    let begun = false;
    try {
      view = await this.api.begin({ sha256: photo.sha256, size: photo.size, vessel_id: photo.vesselId });
      begun = true;
      while (!view.complete) {
        const offset = view.offset;
        if (offset < 0 || offset >= bytes.length) {
          // The server holds all bytes but has not judged them, or names an impossible offset:
          // ask where it stands.
          view = await this.api.state(photo.sha256);
          if (!view.complete) return await this.refuse(photo, { code: 'upload_stalled', detail: 'The server did not take the last bytes.' });
          break;
        }
        const chunk = bytes.subarray(offset, Math.min(offset + MAX_CHUNK, bytes.length));
        try {
          view = await this.api.append(photo.sha256, offset, chunk);
          report.chunks += 1;
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'upload_offset_mismatch') throw error;
          // The answer to an earlier chunk was lost: go on from what the server holds.
          const named = offsetNamed(error.problem);
          view = named === null ? await this.api.state(photo.sha256) : { ...view, offset: named };
        }
        await this.db.photos.update(photo.id, { state: 'uploading', sent: Math.min(view.offset, photo.size) });
      }
    } catch (error) {
      if (!(error instanceof ApiError)) return 'link';
      if (error.isNetworkError) return 'link';
      if (error.status === 401) return 'session';
      if (error.status === 408 || error.status === 429 || error.status >= 500) return 'temporary';
      // The upload expired (or was discarded) between two cycles: the next cycle begins again.
      if (begun && error.status === 404) {
        await this.db.photos.update(photo.id, { state: 'queued', sent: 0 });
        return 'temporary';
      }
      return this.refuse(photo, reasonOf(error.problem));
    }
    return this.attach(photo, view);
  }

  private async refuse(photo: PhotoEntry, reason: { code: string; detail: string }): Promise<Outcome> {
    await this.db.photos.update(photo.id, { state: 'rejected', ...reason });
    return 'refused';
  }

  /** Queues the attach, naming the file as the server found it (it takes its own view anyway). */
  private async attach(photo: PhotoEntry, view: UploadView): Promise<Outcome> {
    const file = view.file ?? {
      sha256: photo.sha256,
      size_bytes: photo.size,
      content_type: photo.contentType,
      kind: 'photo',
      has_thumbnail: true,
    };
    try {
      await this.engine.enqueue(
        'attach_file.v1',
        {
          id: photo.id,
          parent_kind: photo.parentKind,
          parent_id: photo.parentId,
          file_name: photo.fileName,
          file: { ...file },
        },
        null,
        async (mutationId) => {
          const held = await this.db.photos.get(photo.id);
          if (!held || held.state === 'attaching' || held.state === 'rejected') throw new AlreadyAttaching();
          await this.db.photos.update(photo.id, { state: 'attaching', sent: photo.size, mutationId });
        },
      );
    } catch (error) {
      if (error instanceof AlreadyAttaching) return 'attached';
      throw error;
    }
    return 'attached';
  }
}

/** Whether a cycle's failure means the link (or the session) is down, so uploads wait. */
function linkDown(report: SyncReport): boolean {
  const f = report.failure;
  return (f?.kind === 'push' || f?.kind === 'pull') && (f.failure.kind === 'link' || f.failure.kind === 'unauthorized');
}

/**
 * The syncing tab's cycle: the engine's (push, pull), then the photos' uploads, then, when
 * attaches were queued, the engine's again so they are pushed in the same turn; after a cycle
 * without failure, `tidy` (documents kept for records no longer in the replica go). Runs under
 * the runner's Web Lock, so only one tab uploads.
 */
export class SyncCycle {
  constructor(
    private readonly engine: Pick<SyncEngine, 'syncOnce'>,
    private readonly uploader: Uploader,
    private readonly tidy: () => Promise<unknown> = () => Promise.resolve(),
  ) {}

  async syncOnce(): Promise<SyncReport> {
    const report = await this.pushPullAndUpload();
    if (report.failure === null) {
      try {
        await this.tidy();
      } catch (error) {
        // Tidying is for the next cycle to retry; it never fails a sync.
        console.warn('the device could not be tidied after a sync', error);
      }
    }
    return report;
  }

  private async pushPullAndUpload(): Promise<SyncReport> {
    const first = await this.engine.syncOnce();
    await this.uploader.settle();
    if (linkDown(first)) return first;
    const uploads = await this.uploader.uploadAll();
    if (uploads.attached === 0) return first;
    const second = await this.engine.syncOnce();
    await this.uploader.settle();
    return second;
  }
}
