/**
 * What every page runs inside: the query cache, the session and the sync client. The cache is emptied when the
 * session ends, so the next person on this device never sees the last one's answers, and what
 * failed while the session was offline is read again once it is back.
 */
import { QueryClientProvider, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import { createQueryClient } from '../api/query';
import { useSessionOffline } from '../session/session-context';
import { SessionProvider } from '../session/session-provider';
import { SyncProvider } from '../sync/sync-provider';

/**
 * The app's providers; tests pass their own client. `queryClient`: the cache, when the app has
 * started filling it before rendering (`preloadOpeningPage`); a new one otherwise.
 */
export function AppProviders({
  children,
  client,
  queryClient: givenQueryClient,
}: {
  children: ReactNode;
  client?: ApiClient;
  queryClient?: QueryClient;
}) {
  const [queryClient] = useState(() => givenQueryClient ?? createQueryClient());
  const clearCache = useCallback(() => {
    queryClient.clear();
  }, [queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider {...(client ? { client } : {})} onSignedOut={clearCache}>
        <RefetchWhenBackOnline />
        <SyncProvider {...(client ? { client } : {})}>{children}</SyncProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}

/** When an offline session gets its token back, the reads that failed meanwhile run again. */
function RefetchWhenBackOnline() {
  const offline = useSessionOffline();
  const queryClient = useQueryClient();
  const wasOffline = useRef(offline);
  useEffect(() => {
    if (wasOffline.current && !offline) {
      void queryClient.refetchQueries({ type: 'active', predicate: (query) => query.state.status === 'error' });
    }
    wasOffline.current = offline;
  }, [offline, queryClient]);
  return null;
}
