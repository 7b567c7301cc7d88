import { describe, expect, it } from 'vitest';
import { buildTree, countBelow, matchTree, NO_FILTER, subtree, visibleRows, type TreeItem } from './equipment-tree';

const item = (id: string, parent: string | null, extra: Partial<TreeItem> = {}): TreeItem => ({
  id,
  parent_id: parent,
  name: id,
  level: parent === null ? 'system' : 'equipment',
  area: 'engine_room',
  criticality: 'medium',
  status: 'operational',
  effective_status: 'operational',
  maker: null,
  model: null,
  serial_number: null,
  qr_code: 'ABCDEFGHJK',
  open_faults: 0,
  ...extra,
});

// Main engine 1 > Fuel pump > Plunger; Main engine 2 > Fuel pump 2; Steering gear (deck).
const ITEMS: TreeItem[] = [
  item('Steering gear', null, { area: 'deck', criticality: 'critical' }),
  item('Main engine 2', null),
  item('Fuel pump 2', 'Main engine 2', { maker: 'Bosch', serial_number: 'FP-0002' }),
  item('Main engine 1', null, { maker: 'MaK' }),
  item('Fuel pump', 'Main engine 1', { serial_number: 'FP-0001', open_faults: 1 }),
  item('Plunger', 'Fuel pump', { level: 'component', effective_status: 'down' }),
  item('Orphan', 'not-held'),
];

const names = (rows: { item: TreeItem; depth: number }[]) => rows.map((r) => `${'  '.repeat(r.depth)}${r.item.name}`);

describe('the equipment tree', () => {
  const tree = buildTree(ITEMS);

  it('puts items under their parents, by name, and an item whose parent is not held at the top', () => {
    expect(tree.roots).toEqual(['Main engine 1', 'Main engine 2', 'Orphan', 'Steering gear']);
    expect(tree.children.get('Main engine 1')).toEqual(['Fuel pump']);
  });

  it('is collapsed by default and opens what the person expands', () => {
    expect(names(visibleRows(tree, null, new Set(), 100).rows)).toEqual([
      'Main engine 1',
      'Main engine 2',
      'Orphan',
      'Steering gear',
    ]);
    const open = visibleRows(tree, null, new Set(['Main engine 1', 'Fuel pump']), 100).rows;
    expect(names(open)).toEqual(['Main engine 1', '  Fuel pump', '    Plunger', 'Main engine 2', 'Orphan', 'Steering gear']);
    expect(open[0]).toMatchObject({ expanded: true, childCount: 1, below: 2 });
  });

  it('finds by name, serial number or maker, showing each match with the items above it', () => {
    const bySerial = matchTree(tree, { ...NO_FILTER, q: 'fp-0001' });
    expect(bySerial?.matches).toEqual(new Set(['Fuel pump']));
    expect(names(visibleRows(tree, bySerial, new Set(), 100).rows)).toEqual(['Main engine 1', '  Fuel pump']);
    const rows = visibleRows(tree, bySerial, new Set(), 100).rows;
    expect(rows.map((r) => r.isMatch)).toEqual([false, true]);

    const byMaker = matchTree(tree, { ...NO_FILTER, q: 'bosch' });
    expect(names(visibleRows(tree, byMaker, new Set(), 100).rows)).toEqual(['Main engine 2', '  Fuel pump 2']);
    // Every word must appear.
    expect(matchTree(tree, { ...NO_FILTER, q: 'fuel 2' })?.matches).toEqual(new Set(['Fuel pump 2']));
  });

  it('lets the person collapse a branch opened by a search', () => {
    const match = matchTree(tree, { ...NO_FILTER, q: 'plunger' });
    expect(names(visibleRows(tree, match, new Set(), 100).rows)).toEqual(['Main engine 1', '  Fuel pump', '    Plunger']);
    expect(names(visibleRows(tree, match, new Set(['Fuel pump']), 100).rows)).toEqual(['Main engine 1', '  Fuel pump']);
  });

  it('filters by status, criticality, area and open faults, and counts matches below each item', () => {
    expect(matchTree(tree, { ...NO_FILTER, status: 'down' })?.matches).toEqual(new Set(['Plunger']));
    expect(matchTree(tree, { ...NO_FILTER, criticality: 'critical' })?.matches).toEqual(new Set(['Steering gear']));
    expect(matchTree(tree, { ...NO_FILTER, area: 'deck' })?.matches).toEqual(new Set(['Steering gear']));
    const faulty = matchTree(tree, { ...NO_FILTER, faulty: true });
    expect(faulty?.matches).toEqual(new Set(['Fuel pump', 'Plunger']));
    expect(countBelow(tree, faulty).get('Main engine 1')).toBe(2);
    expect(matchTree(tree, NO_FILTER)).toBeNull();
  });

  it('draws no more rows than its budget and says more would follow', () => {
    const many = buildTree(Array.from({ length: 5000 }, (_, i) => item(`Item ${i}`, null)));
    const { rows, truncated } = visibleRows(many, matchTree(many, { ...NO_FILTER, q: 'item' }), new Set(), 300);
    expect(rows).toHaveLength(300);
    expect(truncated).toBe(true);
    // Natural order: "Item 2" before "Item 10".
    expect(rows.slice(0, 3).map((r) => r.item.name)).toEqual(['Item 0', 'Item 1', 'Item 2']);
  });

  it('survives a parent cycle in bad data', () => {
    const cyclic = buildTree([item('A', 'B'), item('B', 'A'), item('C', null)]);
    expect(cyclic.roots).toEqual(['C']);
    expect(matchTree(cyclic, { ...NO_FILTER, q: 'a' })?.shown.has('A')).toBe(true);
  });

  it('lists a whole system for its labels', () => {
    expect(subtree(tree, 'Main engine 1')).toEqual(['Main engine 1', 'Fuel pump', 'Plunger']);
    expect(subtree(tree, 'unknown')).toEqual([]);
  });
});
