// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import path from 'node:path';
import tseslint from 'typescript-eslint';

const featureOf = (/** @type {string} */ file) =>
  /[\\/]src[\\/]features[\\/]([^\\/]+)/.exec(file)?.[1];

/**
 * A feature never imports another feature (STYLE.md §11 rule 15). Shared code lives in src/api,
 * src/session and src/components; features are wired together only in src/app.
 * @type {import('eslint').Rule.RuleModule}
 */
const featureBoundary = {
  meta: {
    type: 'problem',
    messages: {
      crossFeature:
        "Feature '{{from}}' imports feature '{{to}}'. Move the shared part to src/ (api, session, components) or compose in src/app.",
    },
    schema: [],
  },
  create(context) {
    const from = featureOf(context.filename);
    if (from === undefined) return {};
    /** @param {import('estree').Node & { source?: import('estree').Node | null }} node */
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      const target = spec.startsWith('.') ? path.resolve(path.dirname(context.filename), spec) : spec;
      const to = featureOf(target);
      if (to !== undefined && to !== from) {
        context.report({ node: source, messageId: 'crossFeature', data: { from, to } });
      }
    };
    return {
      ImportDeclaration: check,
      ImportExpression: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
    };
  },
};

/**
 * File names are kebab-case (STYLE.md §11 rule 15): `login-page.tsx`, not `LoginPage.tsx`.
 * @type {import('eslint').Rule.RuleModule}
 */
const kebabCaseFileName = {
  meta: {
    type: 'suggestion',
    messages: { notKebab: "File name '{{name}}' is not kebab-case." },
    schema: [],
  },
  create(context) {
    const name = path.basename(context.filename);
    return {
      Program(node) {
        if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*$/.test(name)) {
          context.report({ node, messageId: 'notKebab', data: { name } });
        }
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'e2e/artifacts', 'coverage', 'src/api/schema.gen.ts'] },
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts', 'vitest.config.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: {
      'react-hooks': reactHooks,
      bosun: { rules: { 'feature-boundary': featureBoundary, 'kebab-case-file-name': kebabCaseFileName } },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'bosun/feature-boundary': 'error',
      'bosun/kebab-case-file-name': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['e2e/**/*.mjs', 'scripts/**/*.mjs', 'eslint.config.js'],
    extends: [js.configs.recommended],
    // Browser globals too: functions passed to page.evaluate() run in the page.
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    plugins: { bosun: { rules: { 'kebab-case-file-name': kebabCaseFileName } } },
    rules: { 'bosun/kebab-case-file-name': 'error' },
  },
);
