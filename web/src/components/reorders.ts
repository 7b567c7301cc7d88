/**
 * Reordering low stock from a vessel's stock page. The stock page shows the actions; the
 * purchasing feature, which knows the requisitions, provides them (placed by the routes around
 * the stock page, so neither feature imports the other). Without a provider — a role without
 * `parts.request`, or a test of the stock page alone — the page offers no reorder.
 */
import { createContext, useContext } from 'react';

import type { Thousandths } from './quantity';

/** One part to reorder, with the quantity the stock page suggests. */
export interface ReorderLine {
  /** Lowercase. */
  partId: string;
  quantity: Thousandths;
}

/** What the stock page may ask of purchasing for one vessel. */
export interface Reorders {
  /** Whether the part has an open requisition on the vessel, or one waiting on this device. */
  requested: (partId: string) => boolean;
  /** Raises one requisition per line ("Reorder: below minimum"), through the outbox. */
  request: (lines: readonly ReorderLine[]) => Promise<void>;
}

export const ReordersContext = createContext<Reorders | null>(null);

/** The reorder actions for the stock page's vessel; null when none are offered. */
export const useReorders = (): Reorders | null => useContext(ReordersContext);
