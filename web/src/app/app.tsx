/**
 * The app: the query cache and the session around the router.
 */
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppProviders } from './providers';
import { preloadOpeningPage, routes } from './routes';

const router = createBrowserRouter(routes);
preloadOpeningPage(window.location.pathname);

/** Root component. */
export function App() {
  return (
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
