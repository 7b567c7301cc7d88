/**
 * The app: the query cache and the session around the router.
 */
import { createBrowserRouter, RouterProvider } from 'react-router';
import { createQueryClient } from '../api/query';
import { AppProviders } from './providers';
import { preloadOpeningPage, routes } from './routes';

const router = createBrowserRouter(routes);
// Made before the first render so that what the opening page reads can be asked for at once.
const queryClient = createQueryClient();
preloadOpeningPage(window.location, queryClient);

/** Root component. */
export function App() {
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
