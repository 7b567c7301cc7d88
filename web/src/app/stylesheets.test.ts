/**
 * The style sheets are plain CSS with every block closed: one missing `}` makes Chromium read
 * every rule after it as nested inside the unclosed one (CSS nesting), so they stop applying
 * without any error (the header's sync state lost its styles that way).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return cssFiles(full);
    return entry.name.endsWith('.css') ? [full] : [];
  });
}

/** Where a rule is opened inside another rule (not an at-rule), or a block is left open. */
function nestingProblems(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(["'])(?:\\.|(?!\1)[^\\\n])*\1/g, (s) => ' '.repeat(s.length));
  const problems: string[] = [];
  const open: { atRule: boolean; line: number }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '{') {
      const prelude = text.slice(start, i).trim();
      const line = text.slice(0, i).split('\n').length;
      if (open.some((b) => !b.atRule)) problems.push(`line ${line}: "${prelude}" opens inside a rule`);
      open.push({ atRule: prelude.startsWith('@'), line });
      start = i + 1;
    } else if (c === '}') {
      if (open.pop() === undefined) problems.push(`line ${text.slice(0, i).split('\n').length}: a "}" closes nothing`);
      start = i + 1;
    } else if (c === ';') {
      start = i + 1;
    }
  }
  for (const b of open) problems.push(`line ${b.line}: a block is never closed`);
  return problems;
}

describe('style sheets', () => {
  it('find a missing brace', () => {
    expect(nestingProblems('.a {\n  color: red;\n.b { color: blue; }\n')).toEqual(['line 3: ".b" opens inside a rule', 'line 1: a block is never closed']);
    expect(nestingProblems('@media (max-width: 30rem) {\n  .a { content: "{"; }\n}\n')).toEqual([]);
  });

  it('close every block and nest rules only in at-rules', () => {
    const files = cssFiles(src);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(nestingProblems(readFileSync(file, 'utf8')), path.relative(src, file)).toEqual([]);
  });
});
