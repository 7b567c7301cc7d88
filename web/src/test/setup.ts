/**
 * Test setup: DOM matchers, and a clean DOM and storage between tests.
 */
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { api } from '../api/client';

// Pages load lazily and fetch several lists; on a busy two-core machine that can take longer
// than the library's default second. Waiting is not asserting: a test still fails when the
// element never comes.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  api.forgetSession();
  vi.unstubAllGlobals();
});
