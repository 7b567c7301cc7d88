/**
 * An item's documents (attachments of kind `document`): listed from the replica (attachment
 * metadata syncs with the vessel, so the list shows offline) or the API, and their bytes fetched
 * with the session's token (the content address needs it, so a plain link would not do). Bytes
 * opened once are kept in the person's database (kept-documents.ts), so they open offline, also
 * after a reload.
 */
import { useQuery } from '@tanstack/react-query';

import { answer, api } from '../../../api/client';
import { load } from '../../../api/query';
import type { AttachmentView } from '../../../api/types';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRowsWhere, useReplicaRow } from '../../../sync/replica-queries';
import { useReplicaReady } from '../../../sync/use-sync-state';

/** A document as listed. */
export type ItemDocument = Pick<AttachmentView, 'id' | 'file_name' | 'content_type' | 'size_bytes' | 'created_at'>;

function asDocument(a: Pick<AttachmentView, 'id' | 'file_name' | 'content_type' | 'size_bytes' | 'created_at' | 'kind'>): ItemDocument {
  return { id: a.id, file_name: a.file_name, content_type: a.content_type, size_bytes: a.size_bytes, created_at: a.created_at };
}

const byName = (a: ItemDocument, b: ItemDocument) => a.file_name.localeCompare(b.file_name);

/** The item's documents, by name: undefined while loading, null when they cannot be had. */
export function useItemDocuments(equipmentId: string): ItemDocument[] | null | undefined {
  const ready = useReplicaReady();
  const item = useReplicaRow(ENTITY.equipment, equipmentId);
  const scope = item ? item.scope : null;
  const rows = useReplicaRowsWhere(ENTITY.attachment, scope, 'parent_id', equipmentId.toLowerCase());
  const fromReplica = ready === 'ready' && item !== null;
  const query = useQuery({
    enabled: ready === 'not-ready' || (ready === 'ready' && item === null),
    queryKey: ['equipment', equipmentId, 'documents'],
    queryFn: load('Could not load the documents', (signal) =>
      answer(
        api.GET('/api/v1/attachments', {
          params: { query: { parent_kind: 'equipment', parent_id: equipmentId } },
          signal,
        }),
      ),
    ),
  });
  if (fromReplica) {
    if (rows === undefined) return undefined;
    return rows
      .map((row) => row.fields as unknown as AttachmentView)
      .filter((a) => a.parent_kind === 'equipment' && a.kind === 'document')
      .map(asDocument)
      .sort(byName);
  }
  if (query.isError) return null;
  return query.data?.items.filter((a) => a.kind === 'document').map(asDocument).sort(byName);
}

/** A size as people read it: "820 B", "14 KB", "2.3 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A content type in words. */
export function typeWords(contentType: string): string {
  const words: Record<string, string> = {
    'application/pdf': 'PDF',
    'text/plain': 'Text',
    'image/jpeg': 'JPEG image',
    'image/png': 'PNG image',
    'image/webp': 'WebP image',
  };
  return words[contentType] ?? contentType;
}
