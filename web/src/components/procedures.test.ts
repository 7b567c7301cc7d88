/**
 * A procedure copied into a work order or plan: the same steps, each with an id of its own.
 */
import { describe, expect, it } from 'vitest';

import { stepArgs, type Step } from './checklist-steps';
import { copiedSteps } from './procedures';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const steps: Step[] = [
  { id: '01900000-0000-7000-8000-0000000000b1', title: 'Strainer clean', kind: 'pass_fail', required: true, min: null, max: null, unit: null, options: [], rule: { kind: 'open_fault', severity: 'high' } },
  { id: '01900000-0000-7000-8000-0000000000b2', title: 'Pressure', kind: 'number', required: false, min: '2.5', max: '4', unit: 'bar', options: [], rule: { kind: 'follow_up_work_order', priority: 'urgent' } },
  {
    id: '01900000-0000-7000-8000-0000000000b3', title: 'Seal', kind: 'choice', required: true, min: null, max: null, unit: null,
    options: [{ label: 'Dry', fails: false }, { label: 'Leaking', fails: true }], rule: null,
  },
];

describe('copying a procedure’s steps', () => {
  it('keeps every step’s content and gives each a new id', () => {
    const copied = copiedSteps({ steps });
    const sent = copied.map(stepArgs);
    expect(sent.map((s) => ({ ...s, id: '' }))).toEqual(steps.map((s) => ({ ...s, id: '' })));
    const ids = sent.map((s) => s.id as string);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(3);
    expect(ids.some((id) => steps.some((s) => s.id === id))).toBe(false);
  });

  it('gives new ids each time it is copied', () => {
    const once = copiedSteps({ steps }).map((s) => s.id);
    const twice = copiedSteps({ steps }).map((s) => s.id);
    expect(once.filter((id) => twice.includes(id))).toEqual([]);
  });
});
