/**
 * Rendering for component tests: a fresh query cache per render, so no answer from one test
 * is seen by the next.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { createQueryClient } from '../api/query';

/** `render` inside a `QueryClientProvider` of its own. */
export function renderWithQueries(ui: ReactElement, options: Omit<RenderOptions, 'wrapper'> = {}) {
  const queryClient = createQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
  return { queryClient, ...render(ui, { ...options, wrapper }) };
}
