/**
 * A vessel's equipment as its system → equipment → component hierarchy, searched and filtered
 * on the device. Pure functions over plain items, so thousands of them stay fast: the tree is
 * indexed once per change of the items, a search walks each item once, and what is drawn is
 * bounded by the caller (collapsed branches, a row budget).
 */
import type { EquipmentView } from '../../../api/types';

/** An item as the tree needs it: the listed item and how many of its faults are unresolved. */
export type TreeItem = Pick<
  EquipmentView,
  | 'id'
  | 'parent_id'
  | 'name'
  | 'level'
  | 'area'
  | 'criticality'
  | 'status'
  | 'effective_status'
  | 'maker'
  | 'model'
  | 'serial_number'
  | 'qr_code'
> & { open_faults: number };

/** The items indexed by parent. */
export interface EquipmentTree {
  byId: ReadonlyMap<string, TreeItem>;
  /** Top-level items (and items whose parent is not held), by name. */
  roots: readonly string[];
  /** Each item's children, by name. */
  children: ReadonlyMap<string, readonly string[]>;
  /** Lowercased name, serial number and maker, searched as one text per item. */
  haystack: ReadonlyMap<string, string>;
}

const byName = (items: ReadonlyMap<string, TreeItem>) => (a: string, b: string) =>
  (items.get(a)?.name ?? '').localeCompare(items.get(b)?.name ?? '', undefined, { numeric: true });

/** Indexes `items`: children by parent, sorted by name; an item whose parent is missing is a root. */
export function buildTree(items: readonly TreeItem[]): EquipmentTree {
  const byId = new Map(items.map((item) => [item.id, item]));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  const haystack = new Map<string, string>();
  for (const item of items) {
    haystack.set(item.id, [item.name, item.serial_number ?? '', item.maker ?? ''].join('\u0000').toLowerCase());
    const parent = item.parent_id ?? null;
    // A parent that is not held (or a row naming itself) would hide the item: it is shown at the top.
    if (parent === null || parent === item.id || !byId.has(parent)) {
      roots.push(item.id);
      continue;
    }
    const siblings = children.get(parent);
    if (siblings) siblings.push(item.id);
    else children.set(parent, [item.id]);
  }
  const order = byName(byId);
  roots.sort(order);
  for (const list of children.values()) list.sort(order);
  return { byId, roots, children, haystack };
}

/** What narrows the tree; every field empty means everything. */
export interface TreeFilter {
  /** Words searched in name, serial number and maker (all must appear). */
  q: string;
  /** Effective status (`down` includes items held down by a critical fault). */
  status: string;
  criticality: string;
  area: string;
  /** Only items with an unresolved fault, or held down. */
  faulty: boolean;
}

export const NO_FILTER: TreeFilter = { q: '', status: '', criticality: '', area: '', faulty: false };

/** Whether the filter narrows anything. */
export const isFiltering = (f: TreeFilter) => f.q.trim() !== '' || f.status !== '' || f.criticality !== '' || f.area !== '' || f.faulty;

/** The outcome of a search: the items that match and those shown because something below them does. */
export interface TreeMatch {
  /** Items that match the filter. */
  matches: ReadonlySet<string>;
  /** Matches and their ancestors: what the filtered tree shows. */
  shown: ReadonlySet<string>;
}

/** Matches of `filter`, with their ancestors; null when the filter narrows nothing. */
export function matchTree(tree: EquipmentTree, filter: TreeFilter): TreeMatch | null {
  if (!isFiltering(filter)) return null;
  const words = filter.q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matches = new Set<string>();
  const shown = new Set<string>();
  for (const item of tree.byId.values()) {
    if (filter.status && item.effective_status !== filter.status) continue;
    if (filter.criticality && item.criticality !== filter.criticality) continue;
    if (filter.area && item.area !== filter.area) continue;
    if (filter.faulty && item.open_faults === 0 && item.effective_status !== 'down') continue;
    if (words.length > 0) {
      const text = tree.haystack.get(item.id) ?? '';
      if (!words.every((word) => text.includes(word))) continue;
    }
    matches.add(item.id);
    // Ancestors, stopping at one already shown (its own ancestors are too); the guard ends a cycle.
    let at: string | null | undefined = item.id;
    for (let guard = 0; at && !shown.has(at) && guard < 64; guard += 1) {
      shown.add(at);
      const parent: string | null | undefined = tree.byId.get(at)?.parent_id;
      at = parent && tree.byId.has(parent) ? parent : null;
    }
  }
  return { matches, shown };
}

/** One line of the drawn tree. */
export interface TreeRow {
  item: TreeItem;
  depth: number;
  /** Children shown under it (all, or those on a match's path). */
  childCount: number;
  /** Items below it at any depth (under a filter: matches only). */
  below: number;
  expanded: boolean;
  /** Whether the item itself matches the filter (false when only a descendant does). */
  isMatch: boolean;
}

/** Items below each item (under a filter, matching items below it), for the counts beside each. */
export function countBelow(tree: EquipmentTree, match: TreeMatch | null): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (id: string, depth: number): number => {
    let total = 0;
    if (depth > 64) return 0;
    for (const child of tree.children.get(id) ?? []) {
      if (match && !match.shown.has(child)) continue;
      total += (match ? (match.matches.has(child) ? 1 : 0) : 1) + visit(child, depth + 1);
    }
    counts.set(id, total);
    return total;
  };
  for (const root of tree.roots) visit(root, 0);
  return counts;
}

/**
 * The rows to draw, depth first, at most `budget` of them: an item's children appear when it is
 * expanded, or (under a filter) when a match lies below it unless the person collapsed it.
 * `truncated` says more rows would follow.
 */
export function visibleRows(
  tree: EquipmentTree,
  match: TreeMatch | null,
  toggled: ReadonlySet<string>,
  budget: number,
  counts: ReadonlyMap<string, number> = countBelow(tree, match),
): { rows: TreeRow[]; truncated: boolean } {
  const rows: TreeRow[] = [];
  let truncated = false;
  const walk = (ids: readonly string[], depth: number) => {
    for (const id of ids) {
      if (match && !match.shown.has(id)) continue;
      if (rows.length >= budget) {
        truncated = true;
        return;
      }
      const item = tree.byId.get(id);
      if (!item) continue;
      const kids = (tree.children.get(id) ?? []).filter((child) => !match || match.shown.has(child));
      // Collapsed by default; under a filter, open down to the matches. A toggle flips either.
      const open = kids.length > 0 && (match ? !toggled.has(id) : toggled.has(id));
      rows.push({
        item,
        depth,
        childCount: kids.length,
        below: counts.get(id) ?? 0,
        expanded: open,
        isMatch: match ? match.matches.has(id) : true,
      });
      if (open && depth < 64) walk(kids, depth + 1);
      if (truncated) return;
    }
  };
  walk(tree.roots, 0);
  return { rows, truncated };
}

/** Every item at or below `id` (the item first), for printing a whole system's labels. */
export function subtree(tree: EquipmentTree, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const at = stack.pop();
    if (at === undefined || seen.has(at) || !tree.byId.has(at)) continue;
    seen.add(at);
    out.push(at);
    const kids = tree.children.get(at) ?? [];
    for (let i = kids.length - 1; i >= 0; i -= 1) stack.push(kids[i] ?? '');
  }
  return out;
}
