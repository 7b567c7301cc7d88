/**
 * `/vessels/:id/equipment`: a vessel's equipment as its system → equipment → component tree,
 * built on the device from the replica (so it opens offline), collapsed by default. A search
 * (name, serial number, maker) and filters (status, criticality, area, faults) are kept in the
 * address, so "back" from an item returns to them; matches show with the items above them.
 * Drawing is bounded: collapsed branches cost nothing, and at most a few hundred rows are drawn
 * before "Show more". Items (or whole systems) can be chosen for a sheet of QR labels.
 */
import './equipment.css';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInRole } from '../../../session/session-context';
import {
  buildTree,
  countBelow,
  isFiltering,
  matchTree,
  visibleRows,
  type EquipmentTree,
  type TreeFilter,
  type TreeRow,
} from '../api/equipment-tree';
import { useVesselTreeItems, useVesselName } from '../api/list-vessel-equipment';
import { wordFor } from './equipment-labels';
import { StatusBadge } from './status-badge';

/** How long typing may pause before the search runs. */
const SEARCH_DELAY_MS = 300;
/** Rows drawn at first, and added by each "Show more". */
export const ROW_BUDGET = 300;

const STATUSES = ['operational', 'degraded', 'down', 'decommissioned'] as const;
const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
const AREAS = ['engine_room', 'deck', 'bridge', 'accommodation', 'cargo', 'electrical', 'hull', 'other'] as const;

/** The filter the address holds. */
export function filterFromParams(params: URLSearchParams): TreeFilter {
  return {
    q: params.get('q')?.trim() ?? '',
    status: params.get('status') ?? '',
    criticality: params.get('criticality') ?? '',
    area: params.get('area') ?? '',
    faulty: params.get('faults') === 'open',
  };
}

function paramsFromFilter(filter: TreeFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.q) out.q = filter.q;
  if (filter.status) out.status = filter.status;
  if (filter.criticality) out.criticality = filter.criticality;
  if (filter.area) out.area = filter.area;
  if (filter.faulty) out.faults = 'open';
  return out;
}

/** The vessel's equipment tree. */
export function VesselEquipmentPage() {
  const { id: vesselId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFromParams(params), [params]);
  const vesselName = useVesselName(vesselId);
  const role = useSignedInRole();
  const mayImport = role !== null && may(role, 'equipment.write');
  const result = useVesselTreeItems(vesselId);
  // Rebuilt only when new items arrive (a sync), not on each keystroke.
  const items = result.status === 'loaded' ? result.items : null;
  const tree = useMemo(() => (items ? buildTree(items) : null), [items]);
  useDocumentTitle(vesselName ? `Equipment · ${vesselName}` : 'Equipment');

  const setFilter = useCallback(
    (change: Partial<TreeFilter>) => {
      setParams(paramsFromFilter({ ...filter, ...change }), { replace: true });
    },
    [filter, setParams],
  );
  const search = useCallback(
    (text: string) => {
      if (text.trim() !== filter.q) setFilter({ q: text.trim() });
    },
    [filter.q, setFilter],
  );

  return (
    <section className="equipment-list" aria-labelledby="equipment-list-title">
      <p className="back-link">
        <Link to="/vessels">All vessels</Link>
      </p>
      <div className="page-heading">
        <h1 id="equipment-list-title" className="page-title">
          Equipment
        </h1>
        {vesselName ? <p className="page-heading__sub">{vesselName}</p> : null}
      </div>
      {mayImport ? (
        <p className="back-link">
          <Link to={`/vessels/${vesselId}/import`}>Import equipment from a CSV file</Link>
        </p>
      ) : null}

      <SearchBox initial={filter.q} onSearch={search} />
      <Filters filter={filter} onChange={setFilter} />

      {result.status === 'loading' ? (
        <p className="notice" role="status">
          Loading equipment…
        </p>
      ) : null}
      {result.status === 'failed' ? <ProblemAlert error={result.error} onRetry={result.reload} /> : null}
      {tree ? (
        <TreeView
          // A new filter starts from its own expansion (open down to the matches).
          key={JSON.stringify(filter)}
          vesselId={vesselId}
          tree={tree}
          filter={filter}
        />
      ) : null}
    </section>
  );
}

function TreeView({ vesselId, tree, filter }: { vesselId: string; tree: EquipmentTree; filter: TreeFilter }) {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [budget, setBudget] = useState(ROW_BUDGET);
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const match = useMemo(() => matchTree(tree, filter), [tree, filter]);
  const counts = useMemo(() => countBelow(tree, match), [tree, match]);
  const { rows, truncated } = visibleRows(tree, match, toggled, budget, counts);

  const toggle = useCallback((id: string) => {
    setToggled((before) => {
      const next = new Set(before);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const choose = useCallback((id: string, on: boolean) => {
    setChosen((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const total = tree.byId.size;
  if (total === 0) return <p className="notice">No equipment is registered on this vessel yet.</p>;
  const labelsHref = `/vessels/${encodeURIComponent(vesselId)}/labels?under=${[...chosen].join(',')}`;
  return (
    <>
      <div className="equipment-tree__bar">
        <p className="equipment-list__count" role="status">
          {match ? matchCount(match.matches.size, total, filter.q) : countWords(total)}
        </p>
        <div className="button-row">
          {toggled.size > 0 ? (
            <button className="button" type="button" onClick={() => { setToggled(new Set()); }}>
              {match ? 'Open all matches' : 'Collapse all'}
            </button>
          ) : null}
          <button
            className="button"
            type="button"
            aria-pressed={choosing}
            onClick={() => {
              setChoosing(!choosing);
            }}
          >
            {choosing ? 'Stop choosing labels' : 'Choose QR labels to print'}
          </button>
        </div>
      </div>
      {choosing ? (
        <div className="notice equipment-tree__choosing">
          <p>Tick items to print their labels; a ticked item brings everything below it (a whole system).</p>
          {chosen.size > 0 ? (
            <Link className="button button--primary" to={labelsHref}>
              Print labels for {chosen.size === 1 ? '1 choice' : `${chosen.size} choices`}
            </Link>
          ) : null}
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/labels`}>Labels for the whole vessel</Link>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <p className="notice">No equipment matches{filter.q ? ` “${filter.q}”` : ' these filters'}.</p>
      ) : (
        <TreeLevel
          nodes={nest(rows)}
          label="Equipment"
          onToggle={toggle}
          choosing={choosing}
          chosen={chosen}
          onChoose={choose}
        />
      )}
      {truncated ? (
        <div className="equipment-list__footer">
          <p className="equipment-list__count">Showing the first {rows.length} rows.</p>
          <button className="button" type="button" onClick={() => { setBudget(budget + ROW_BUDGET); }}>
            Show more
          </button>
        </div>
      ) : null}
    </>
  );
}

function countWords(n: number): string {
  return n === 1 ? '1 item' : `${n} items`;
}

function matchCount(matches: number, total: number, q: string): string {
  if (matches === 0) return `Nothing matches (of ${countWords(total)})`;
  return `${matches === 1 ? '1 item matches' : `${matches} items match`}${q ? ` “${q}”` : ''} (of ${countWords(total)})`;
}

/** A drawn row with the rows drawn under it. */
interface Node {
  row: TreeRow;
  children: Node[];
}

/** The depth-first rows as nested lists. */
function nest(rows: readonly TreeRow[]): Node[] {
  const top: Node[] = [];
  const stack: Node[] = [];
  for (const row of rows) {
    const node = { row, children: [] };
    while (stack.length > row.depth) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else top.push(node);
    stack.push(node);
  }
  return top;
}

interface RowProps {
  onToggle: (id: string) => void;
  choosing: boolean;
  chosen: ReadonlySet<string>;
  onChoose: (id: string, on: boolean) => void;
}

function TreeLevel({ nodes, label, id, ...rest }: RowProps & { nodes: Node[]; label?: string; id?: string }) {
  return (
    <ul className={label ? 'equipment-tree' : 'equipment-tree__group'} aria-label={label} id={id}>
      {nodes.map((node) => (
        <TreeNode key={node.row.item.id} node={node} {...rest} />
      ))}
    </ul>
  );
}

function TreeNode({ node, onToggle, choosing, chosen, onChoose }: RowProps & { node: Node }) {
  const groupId = useId();
  const { item, expanded, childCount, below, isMatch } = node.row;
  const details = [
    wordFor(item.level),
    wordFor(item.area),
    [item.maker, item.model].filter(Boolean).join(' '),
    item.serial_number ? `S/N ${item.serial_number}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className={`tree-node${isMatch ? '' : ' tree-node--context'}`}>
      <div className="tree-row">
        {childCount > 0 ? (
          <button
            type="button"
            className="tree-row__toggle"
            aria-expanded={expanded}
            aria-controls={expanded ? groupId : undefined}
            aria-label={`Items under ${item.name}`}
            onClick={() => {
              onToggle(item.id);
            }}
          >
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-row__spacer" aria-hidden="true" />
        )}
        {choosing ? (
          <input
            type="checkbox"
            className="tree-row__choose"
            aria-label={below > 0 ? `Labels for ${item.name} and the items below it` : `Label for ${item.name}`}
            checked={chosen.has(item.id)}
            onChange={(event) => {
              onChoose(item.id, event.target.checked);
            }}
          />
        ) : null}
        <div className="tree-row__text">
          <Link className="tree-row__link" to={`/equipment/${encodeURIComponent(item.id)}`}>
            {item.name}
          </Link>
          <span className="equipment-item__details">
            {details}
            {below > 0 ? ` · ${below} below` : ''}
            {item.open_faults > 0 ? ` · ${item.open_faults === 1 ? '1 open fault' : `${item.open_faults} open faults`}` : ''}
          </span>
        </div>
        {item.effective_status !== 'operational' ? <StatusBadge item={item} /> : null}
      </div>
      {expanded && node.children.length > 0 ? (
        <TreeLevel
          nodes={node.children}
          id={groupId}
          onToggle={onToggle}
          choosing={choosing}
          chosen={chosen}
          onChoose={onChoose}
        />
      ) : null}
    </li>
  );
}

/** The search field: searches as the person types (after a pause) and on Enter. */
function SearchBox({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState(initial);

  useEffect(() => {
    const timer = setTimeout(() => {
      onSearch(text);
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [text, onSearch]);

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-q`}>Search equipment</label>
        <input
          id={`${id}-q`}
          type="search"
          name="q"
          enterKeyHint="search"
          autoComplete="off"
          placeholder="Name, serial number or maker"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
      </div>
    </form>
  );
}

function Filters({ filter, onChange }: { filter: TreeFilter; onChange: (change: Partial<TreeFilter>) => void }) {
  const id = useId();
  const select = (name: 'status' | 'criticality' | 'area', label: string, options: readonly string[]) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select
        id={`${id}-${name}`}
        value={filter[name]}
        onChange={(event) => {
          onChange({ [name]: event.target.value });
        }}
      >
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {wordFor(o)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <fieldset className="equipment-filters">
      <legend className="visually-hidden">Filters</legend>
      {select('status', 'Status', STATUSES)}
      {select('criticality', 'Criticality', CRITICALITIES)}
      {select('area', 'Area', AREAS)}
      <label className="equipment-filters__check">
        <input
          type="checkbox"
          checked={filter.faulty}
          onChange={(event) => {
            onChange({ faulty: event.target.checked });
          }}
        />
        Open faults or down
      </label>
      {isFiltering({ ...filter, q: '' }) ? (
        <button className="button" type="button" onClick={() => { onChange({ status: '', criticality: '', area: '', faulty: false }); }}>
          Clear filters
        </button>
      ) : null}
    </fieldset>
  );
}
