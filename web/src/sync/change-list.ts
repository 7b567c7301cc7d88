/**
 * Each change waiting on this device and how far it got, for the header's list: the outbox's
 * writes ("on this device", "sent", "accepted by the server", "refused: reason") and the
 * photos ("uploading 40%"; a photo whose thumbnail went first, "accepted, pending: full image
 * 40%"), oldest first, with the few last accepted so the person sees them go. A photo whose
 * attach is queued is listed once, as the photo.
 */
import { useLiveQuery } from 'dexie-react-hooks';

import type { OutboxEntry, PhotoEntry, SyncDatabase } from './database';
import { useSyncClient } from './sync-context';
import { mutationStateLabel } from './use-sync-state';

/** Accepted writes listed after the waiting ones. */
export const ACCEPTED_LISTED = 5;

/** One line of the list. */
export interface ChangeLine {
  key: string;
  /** What it is: "Report fault", "Photo pump.jpg". */
  what: string;
  /** How far it got. */
  label: string;
  tone: 'waiting' | 'accepted' | 'refused';
  /** The server's sentence, for a refusal. */
  detail?: string;
  at: number;
}

/** Words for how far a photo has got; `attach` is its queued attach, when there is one. */
export function photoStateLabel(
  photo: Pick<PhotoEntry, 'state' | 'sent' | 'size' | 'code' | 'preview' | 'mutationId' | 'attachAccepted'>,
  attach?: Pick<OutboxEntry, 'state'>,
): string {
  const accepted = photo.attachAccepted === true || attach?.state === 'accepted';
  switch (photo.state) {
    case 'queued':
    case 'uploading':
      // The attach went ahead of the full image, naming the thumbnail: the server shows the
      // photo pending until the rest arrives.
      if (photo.mutationId !== undefined) {
        return `${accepted ? 'accepted, pending' : 'thumbnail sent'}: full image ${percentSent(photo)}%`;
      }
      if (photo.sent > 0) return `uploading ${percentSent(photo)}%`;
      return typeof photo.preview === 'string' ? 'thumbnail sent' : 'on this device';
    case 'attaching':
      return accepted ? 'accepted by the server' : 'uploaded, attaching';
    case 'rejected':
      return `refused: ${photo.code ?? 'unknown'}`;
  }
}

/** How much of a photo the server holds, in whole percent. */
export const percentSent = (p: Pick<PhotoEntry, 'sent' | 'size'>) => (p.size > 0 ? Math.min(100, Math.floor((p.sent / p.size) * 100)) : 0);

/** "report_fault.v1" → "Report fault". */
export function describeMutation(name: string): string {
  if (name === 'attach_file.v1') return 'Photo';
  const words = name.replace(/\.v\d+$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The lines, from what the database holds. */
export function changeLines(outbox: OutboxEntry[], photos: PhotoEntry[]): ChangeLine[] {
  const byId = new Map(outbox.map((e) => [e.id, e]));
  const photoAttaches = new Set(photos.flatMap((p) => (p.mutationId === undefined ? [] : [p.mutationId])));
  const lines: ChangeLine[] = [];
  const accepted = outbox.filter((e) => e.state === 'accepted' && !photoAttaches.has(e.id)).sort((a, b) => b.id - a.id).slice(0, ACCEPTED_LISTED);
  for (const e of [...outbox.filter((e) => e.state !== 'accepted' && !photoAttaches.has(e.id)), ...accepted]) {
    const fileName = e.name === 'attach_file.v1' && typeof e.args.file_name === 'string' ? ` ${e.args.file_name}` : '';
    lines.push({
      key: `m${e.id}`,
      what: `${describeMutation(e.name)}${fileName}`,
      label: e.state === 'rejected' ? `refused: ${e.code ?? 'unknown'}` : mutationStateLabel(e),
      tone: e.state === 'rejected' ? 'refused' : e.state === 'accepted' ? 'accepted' : 'waiting',
      ...(e.detail === undefined ? {} : { detail: e.detail }),
      at: e.queuedAt,
    });
  }
  for (const p of photos) {
    const attach = p.mutationId === undefined ? undefined : byId.get(p.mutationId);
    lines.push({
      key: `p${p.id}`,
      what: `Photo ${p.fileName}`,
      label: photoStateLabel(p, attach),
      tone: p.state === 'rejected' ? 'refused' : 'waiting',
      ...(p.detail === undefined ? {} : { detail: p.detail }),
      at: p.queuedAt,
    });
  }
  const order = { waiting: 0, refused: 0, accepted: 1 };
  return lines.sort((a, b) => order[a.tone] - order[b.tone] || a.at - b.at);
}

async function readLines(db: SyncDatabase): Promise<ChangeLine[]> {
  const outbox = await db.outbox.toArray();
  const photos = await db.photos.toArray();
  return changeLines(outbox, photos);
}

/** The lines, live; empty without a sync client. */
export function useChangeLines(): ChangeLine[] {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(async () => (db ? readLines(db) : []), [db]) ?? [];
}
