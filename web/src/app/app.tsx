/**
 * The app: the query cache and the session around the router.
 */
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppProviders } from './providers';
import { routes } from './routes';

const router = createBrowserRouter(routes);

/** Root component. */
export function App() {
  return (
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
