/**
 * Test setup: DOM matchers, and a clean DOM and storage between tests.
 */
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { api } from '../api/client';

afterEach(() => {
  cleanup();
  localStorage.clear();
  api.forgetSession();
  vi.unstubAllGlobals();
});
