import { describe, expect, it } from 'vitest';
import openapiText from './openapi.json?raw';
import { PROBLEM_MESSAGES, problemMessage } from './problem-messages';

interface Document {
  components: { schemas: { Problem: { properties: { code: { description: string } } } } };
}

/** The codes the server documents: the `Problem` schema's `code`, one `- \`code\` (status): …` line each. */
function documentedCodes(): string[] {
  const openapi = JSON.parse(openapiText) as Document;
  const description = openapi.components.schemas.Problem.properties.code.description;
  return [...description.matchAll(/^- `(\w+)` \(\d{3}\):/gm)].map((m) => m[1] ?? '');
}

describe('problem messages', () => {
  it('has a message for every code the API documents, and no code it does not', () => {
    const documented = documentedCodes();
    expect(documented.length).toBeGreaterThan(50);
    const ours = Object.keys(PROBLEM_MESSAGES).filter((code) => code !== 'network_error');
    expect([...ours].sort()).toEqual([...documented].sort());
  });

  it('answers nothing for an unknown code, so the server’s own title stands', () => {
    expect(problemMessage('no_such_code')).toBeUndefined();
    expect(problemMessage(undefined)).toBeUndefined();
    expect(problemMessage('toString')).toBeUndefined();
    expect(problemMessage('version_conflict')).toMatch(/Reload/);
  });
});
