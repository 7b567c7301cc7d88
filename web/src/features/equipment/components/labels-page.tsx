/**
 * `/vessels/:id/labels`: a printable sheet of QR labels — chosen items (`?items=a,b`), chosen
 * items with everything below them (`?under=a,b`, a whole system), or the whole vessel. Each
 * label carries the code the server gives the item (`qr_url`, `{public_url}/q/{code}`), drawn
 * here with the `qrcode` package, and the item's name, area and code; `@media print` leaves
 * only the sheet, three across on A4. The label address comes from the server (the public URL
 * is its setting), so the sheet needs the connection.
 */
import './equipment.css';
import { useQuery } from '@tanstack/react-query';
import { toString as renderQrCode } from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { load } from '../../../api/query';
import { ProblemAlert } from '../../../components/problem-alert';
import { useBrowserOnline } from '../../../components/use-browser-online';
import { useDocumentTitle } from '../../../components/use-document-title';
import { buildTree, subtree, type TreeItem } from '../api/equipment-tree';
import { getEquipment } from '../api/get-equipment';
import { useVesselName, useVesselTreeItems } from '../api/list-vessel-equipment';
import { wordFor } from './equipment-labels';

/** The items a sheet's address names, in tree order; all in service when it names none. */
export function labelItems(items: readonly TreeItem[], params: URLSearchParams): TreeItem[] {
  const tree = buildTree(items);
  const list = (name: string) => (params.get(name) ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const chosen = list('items');
  const under = list('under');
  const byLower = new Map([...tree.byId.keys()].map((id) => [id.toLowerCase(), id]));
  const ids = new Set<string>();
  if (chosen.length === 0 && under.length === 0) {
    for (const root of tree.roots) for (const id of subtree(tree, root)) ids.add(id);
  }
  for (const c of chosen) {
    const id = byLower.get(c);
    if (id) ids.add(id);
  }
  for (const u of under) {
    const id = byLower.get(u);
    if (id) for (const below of subtree(tree, id)) ids.add(below);
  }
  const order = new Map<string, number>();
  for (const root of tree.roots) for (const id of subtree(tree, root)) order.set(id, order.size);
  return [...ids]
    .map((id) => tree.byId.get(id))
    .filter((item): item is TreeItem => item !== undefined && item.status !== 'decommissioned')
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

/** The sheet. */
export function LabelsPage() {
  const { id: vesselId = '' } = useParams();
  const [params] = useSearchParams();
  const vesselName = useVesselName(vesselId);
  useDocumentTitle(vesselName ? `QR labels · ${vesselName}` : 'QR labels');
  const result = useVesselTreeItems(vesselId);
  const all = result.status === 'loaded' ? result.items : null;
  const items = useMemo(() => (all ? labelItems(all, params) : null), [all, params]);
  const online = useBrowserOnline();
  // The label address: the server's public URL, as one item's `qr_url` carries it.
  const first = items?.[0];
  const prefix = useQuery({
    enabled: first !== undefined && online,
    queryKey: ['equipment', first?.id, 'label-address'],
    queryFn: load('Could not reach the server for the label address', async (signal) => {
      const item = await getEquipment(first?.id ?? '', signal);
      return item.qr_url.slice(0, item.qr_url.length - item.qr_code.length);
    }),
    staleTime: Number.POSITIVE_INFINITY,
  });

  return (
    <section aria-labelledby="labels-title">
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/equipment`}>Back to the equipment</Link>
      </p>
      <h1 id="labels-title" className="page-title">
        QR labels{vesselName ? ` · ${vesselName}` : ''}
      </h1>
      {result.status === 'failed' ? <ProblemAlert error={result.error} onRetry={result.reload} /> : null}
      {items === null ? (
        <p className="notice" role="status">
          Loading equipment…
        </p>
      ) : items.length === 0 ? (
        <p className="notice">No item in service is chosen.</p>
      ) : !online && !prefix.data ? (
        <p className="notice notice--warning" role="status">
          Printing labels needs a connection to the server (it knows the address the labels point to).
        </p>
      ) : prefix.isError ? (
        <ProblemAlert error={prefix.error} onRetry={() => void prefix.refetch()} />
      ) : prefix.data === undefined ? (
        <p className="notice" role="status">
          Preparing labels…
        </p>
      ) : (
        <>
          <div className="button-row">
            <p className="equipment-list__count">{items.length === 1 ? '1 label' : `${items.length} labels`}</p>
            <button className="button button--primary" type="button" onClick={() => { window.print(); }}>
              Print
            </button>
          </div>
          <ul className="label-sheet" aria-label="Labels">
            {items.map((item) => (
              <Label key={item.id} item={item} prefix={prefix.data} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** One label: the item's code (`qr_code`, the server's) under its server address. */
function Label({ item, prefix }: { item: TreeItem; prefix: string }) {
  const code = item.qr_code;
  const url = `${prefix}${code}`;
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    renderQrCode(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [url]);
  return (
    <li className="label" aria-label={item.name}>
      {src ? <img src={src} alt={`QR code for ${item.name}`} /> : <span className="label__drawing" />}
      <span className="label__name">{item.name}</span>
      <span>{wordFor(item.area)}</span>
      <span className="label__code">{code}</span>
    </li>
  );
}
