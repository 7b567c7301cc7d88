/**
 * Uploading the photos taken on this device (docs/SYNC.md "Attachments"), in the syncing tab's
 * cycle, after its mutations were pushed, each resumable. Over a slow link the thumbnail goes
 * first: the shore sees the photo (pending) long before its full image has arrived.
 *
 * - Order of use of the link: mutations (the engine), then the thumbnails of the waiting photos
 *   (oldest first), then each photo's main upload is begun and its `attach_file.v1` queued
 *   naming the thumbnail as its `preview` (and pushed at once, in the same turn), then the full
 *   images (oldest first). A photo whose thumbnail cannot go (none kept, or refused) goes the
 *   plain way: full image, then its attach.
 * - Begin (`POST /sync/uploads`: the server answers the bytes it holds, all of them when the
 *   company has the file already), then `PATCH` chunks of at most 256 KiB from the server's
 *   offset. A dropped link stops the uploads until the next cycle, which asks the server again
 *   where each stands; a `409 upload_offset_mismatch` (a chunk whose answer was lost) goes on
 *   from the offset the refusal names (or, when it names none, the one a `GET` gives).
 * - An attach is queued in the outbox in the same transaction that records it on the photo, so
 *   it is queued exactly once and goes through the normal push. The bytes are deleted only when
 *   the full upload is complete and the server accepted the attach; a refused attach (or
 *   upload: forbidden, too large, not an image) keeps the photo with the server's reason until
 *   the person dismisses it.
 * - A temporary refusal (429, 5xx) or an expired session stops the uploads for this cycle.
 */
import { ApiError, answer, type ApiClient } from '../api/client';
import type { components } from '../api/schema.gen';
import type { Problem } from '../api/types';
import type { JsonValue } from './checksum';
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

/** Why the uploads stop for this cycle. */
type Stop = 'link' | 'temporary' | 'session';

type Outcome = 'attached' | 'refused' | Stop;

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

/** A refusal to keep on the photo. */
class Refused {
  constructor(readonly reason: { code: string; detail: string }) {}
}

/** The photo was already moved on by another cycle: its attach is queued already. */
class AlreadyAttaching extends Error {}

/** Whether a photo still has bytes to send (its thumbnail or its full image). */
const isWaiting = (p: PhotoEntry) => p.state === 'queued' || p.state === 'uploading';

/** A thumbnail kept as a `data:` URL, as bytes; empty when it holds none. */
export function thumbnailBytes(url: string): Uint8Array<ArrayBuffer> {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0 || !url.slice(0, comma).endsWith(';base64')) return new Uint8Array();
  try {
    const binary = atob(url.slice(comma + 1));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

async function sha256Of(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const emptyReport = (): UploadReport => ({ attached: 0, refused: 0, chunks: 0, stopped: null });

/** Uploads one database's photos. */
export class Uploader {
  constructor(
    private readonly db: SyncDatabase,
    private readonly engine: Enqueue,
    private readonly api: UploadApi,
  ) {}

  /** Both steps of a cycle's uploads, without a push between them (see `SyncCycle`). */
  async uploadAll(): Promise<UploadReport> {
    const report = await this.sendPreviews();
    if (report.stopped !== null) return report;
    const full = await this.sendFullImages();
    return {
      attached: report.attached + full.attached,
      refused: report.refused + full.refused,
      chunks: report.chunks + full.chunks,
      stopped: full.stopped,
    };
  }

  /**
   * The thumbnails of the waiting photos, oldest first; then, for each photo whose thumbnail
   * is up, its main upload begun and its attach queued naming the thumbnail as its preview.
   */
  async sendPreviews(): Promise<UploadReport> {
    const report = emptyReport();
    for (const id of await this.waiting()) {
      const photo = await this.db.photos.get(id);
      if (!photo || !isWaiting(photo) || photo.preview !== undefined) continue;
      const stop = await this.sendPreview(photo, report);
      if (stop !== null) {
        report.stopped = stop;
        return report;
      }
    }
    for (const id of await this.waiting()) {
      const photo = await this.db.photos.get(id);
      if (!photo || !isWaiting(photo) || typeof photo.preview !== 'string' || photo.mutationId !== undefined) continue;
      const outcome = await this.beginWithPreview(photo, photo.preview);
      if (outcome === 'attached') report.attached += 1;
      else if (outcome === 'refused') report.refused += 1;
      else if (outcome !== 'waiting') {
        report.stopped = outcome;
        return report;
      }
    }
    return report;
  }

  /** The full images of the waiting photos, oldest first, until one cannot go on. */
  async sendFullImages(): Promise<UploadReport> {
    const report = emptyReport();
    for (const id of await this.waiting()) {
      const photo = await this.db.photos.get(id);
      // Removed by the person meanwhile, or moved on by another tab's last cycle.
      if (!photo || !isWaiting(photo)) continue;
      const outcome = await this.upload(photo, report);
      if (outcome === 'attached') report.attached += 1;
      else if (outcome === 'refused') report.refused += 1;
      else if (outcome !== 'waiting') {
        report.stopped = outcome;
        break;
      }
    }
    return report;
  }

  /**
   * Moves photos whose attach the server answered: refused keeps the photo with the reason;
   * accepted (or no longer in the outbox, which keeps only the newest accepted writes) deletes
   * it once its full image is up, and otherwise marks it accepted while the rest goes.
   */
  async settle(): Promise<void> {
    await this.db.transaction('rw', [this.db.photos, this.db.photoFiles, this.db.outbox], async () => {
      const answered = await this.db.photos.filter((p) => p.mutationId !== undefined && p.state !== 'rejected').toArray();
      for (const photo of answered) {
        const entry = photo.mutationId === undefined ? undefined : await this.db.outbox.get(photo.mutationId);
        if (entry?.state === 'rejected') {
          await this.db.photos.update(photo.id, {
            state: 'rejected',
            code: entry.code ?? 'rejected',
            detail: entry.detail ?? 'The server refused to attach the photo.',
          });
        } else if (!entry || entry.state === 'accepted' || photo.attachAccepted === true) {
          if (photo.state === 'attaching') {
            await this.db.photos.delete(photo.id);
            await this.db.photoFiles.delete(photo.id);
          } else if (photo.attachAccepted !== true) {
            await this.db.photos.update(photo.id, { attachAccepted: true });
          }
        }
      }
    });
  }

  private async waiting(): Promise<string[]> {
    return this.db.photos.orderBy('queuedAt').filter(isWaiting).primaryKeys();
  }

  /**
   * Sends a file's bytes from where the server stands: begin, then chunks. `onProgress` hears
   * the server's offset after each chunk.
   */
  private async send(
    sha256: string,
    bytes: Uint8Array,
    vesselId: string,
    report: UploadReport,
    onProgress: (offset: number) => Promise<void>,
  ): Promise<UploadView | Refused | Stop | 'stalled' | 'expired'> {
    let view: UploadView;
    let begun = false;
    try {
      view = await this.api.begin({ sha256, size: bytes.length, vessel_id: vesselId });
      begun = true;
      while (!view.complete) {
        const offset = view.offset;
        if (offset < 0 || offset >= bytes.length) {
          // The server holds all bytes but has not judged them, or names an impossible offset:
          // ask where it stands.
          view = await this.api.state(sha256);
          if (!view.complete) return 'stalled';
          break;
        }
        const chunk = bytes.subarray(offset, Math.min(offset + MAX_CHUNK, bytes.length));
        try {
          view = await this.api.append(sha256, offset, chunk);
          report.chunks += 1;
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'upload_offset_mismatch') throw error;
          // The answer to an earlier chunk was lost: go on from what the server holds.
          const named = offsetNamed(error.problem);
          view = named === null ? await this.api.state(sha256) : { ...view, offset: named };
        }
        await onProgress(view.offset);
      }
    } catch (error) {
      return this.failure(error, begun);
    }
    return view;
  }

  /** What a failed request means for the uploads: stop (and why) or a refusal to keep. */
  private failure(error: unknown, begun: boolean): Stop | 'expired' | Refused {
    if (!(error instanceof ApiError)) return 'link';
    if (error.isNetworkError) return 'link';
    if (error.status === 401) return 'session';
    if (error.status === 408 || error.status === 429 || error.status >= 500) return 'temporary';
    // The upload expired (or was discarded) between two cycles: the next cycle begins again.
    if (begun && error.status === 404) return 'expired';
    return new Refused(reasonOf(error.problem));
  }

  /**
   * Sends a photo's thumbnail and records its hash as the photo's preview; a thumbnail that
   * cannot go (none kept, refused) leaves the photo to go the plain way. Answers why the
   * uploads stop, if they do.
   */
  private async sendPreview(photo: PhotoEntry, report: UploadReport): Promise<Stop | null> {
    const bytes = thumbnailBytes(photo.thumbnailUrl);
    if (bytes.length === 0) {
      await this.db.photos.update(photo.id, { preview: null });
      return null;
    }
    const sha256 = await sha256Of(bytes);
    const sent = await this.send(sha256, bytes, photo.vesselId, report, async () => {});
    if (sent === 'link' || sent === 'temporary' || sent === 'session') return sent;
    // Expired between two cycles: begun again in the next.
    if (sent === 'expired') return 'temporary';
    const preview = sent instanceof Refused || sent === 'stalled' ? null : sha256;
    await this.db.photos.update(photo.id, { preview });
    return null;
  }

  /** Begins a photo's main upload and queues its attach naming the preview. */
  private async beginWithPreview(photo: PhotoEntry, preview: string): Promise<Outcome | 'waiting'> {
    let view: UploadView;
    try {
      view = await this.api.begin({ sha256: photo.sha256, size: photo.size, vessel_id: photo.vesselId });
    } catch (error) {
      const failed = this.failure(error, false);
      if (failed instanceof Refused) return this.refuse(photo, failed.reason);
      return failed === 'expired' ? 'temporary' : failed;
    }
    await this.db.photos.update(photo.id, { state: 'uploading', sent: Math.min(view.offset, photo.size) });
    return this.attach(photo, view, preview);
  }

  private async upload(photo: PhotoEntry, report: UploadReport): Promise<Outcome | 'waiting'> {
    const file = await this.db.photoFiles.get(photo.id);
    if (!file) return this.refuse(photo, { code: 'photo_missing', detail: 'The photo’s image is no longer on this device.' });
    const bytes = new Uint8Array(file.bytes);
    const sent = await this.send(photo.sha256, bytes, photo.vesselId, report, async (offset) => {
      await this.db.photos.update(photo.id, { state: 'uploading', sent: Math.min(offset, photo.size) });
    });
    if (sent instanceof Refused) return this.refuse(photo, sent.reason);
    if (sent === 'stalled') return this.refuse(photo, { code: 'upload_stalled', detail: 'The server did not take the last bytes.' });
    if (sent === 'expired') {
      await this.db.photos.update(photo.id, { state: 'queued', sent: 0 });
      return 'temporary';
    }
    if (typeof sent === 'string') return sent;
    return this.attach(photo, sent, null);
  }

  private async refuse(photo: PhotoEntry, reason: { code: string; detail: string }): Promise<Outcome> {
    await this.db.photos.update(photo.id, { state: 'rejected', ...reason });
    return 'refused';
  }

  /**
   * Queues the attach, naming the file as the server found it (it takes its own view anyway)
   * and the preview when the full image is still to come; a photo whose attach is queued
   * already is marked attaching once its full image is up.
   */
  private async attach(photo: PhotoEntry, view: UploadView, preview: string | null): Promise<Outcome | 'waiting'> {
    if (photo.mutationId !== undefined) {
      if (!view.complete) return 'waiting';
      await this.db.photos.update(photo.id, { state: 'attaching', sent: photo.size });
      return 'waiting';
    }
    const file = view.file ?? {
      sha256: photo.sha256,
      size_bytes: photo.size,
      content_type: photo.contentType,
      kind: 'photo',
      has_thumbnail: true,
    };
    const args: Record<string, JsonValue> = {
      id: photo.id,
      parent_kind: photo.parentKind,
      parent_id: photo.parentId,
      file_name: photo.fileName,
      file: { ...file },
    };
    if (preview !== null) args.preview = preview;
    try {
      await this.engine.enqueue('attach_file.v1', args, null, async (mutationId) => {
        const held = await this.db.photos.get(photo.id);
        if (!held || held.mutationId !== undefined || held.state === 'attaching' || held.state === 'rejected') throw new AlreadyAttaching();
        await this.db.photos.update(
          photo.id,
          view.complete ? { state: 'attaching', sent: photo.size, mutationId } : { state: 'uploading', mutationId },
        );
      });
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
 * The syncing tab's cycle: the engine's (push, pull); the photos' thumbnails and their
 * attaches, pushed at once by the engine when any were queued; then the full images, and the
 * engine's again when they queued attaches (photos that went the plain way); after a cycle
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
    let last = await this.engine.syncOnce();
    await this.uploader.settle();
    if (linkDown(last)) return last;
    const previews = await this.uploader.sendPreviews();
    if (previews.attached > 0) {
      last = await this.engine.syncOnce();
      await this.uploader.settle();
      if (linkDown(last)) return last;
    }
    if (previews.stopped !== null) return last;
    const full = await this.uploader.sendFullImages();
    if (full.attached > 0) last = await this.engine.syncOnce();
    // Photos whose attach was accepted earlier go once their full image is up.
    await this.uploader.settle();
    return last;
  }
}
