/**
 * The app: the session around the router.
 */
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SessionProvider } from '../session/session-provider';
import { routes } from './routes';

const router = createBrowserRouter(routes);

/** Root component. */
export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
