/**
 * A stand-in for `/login` in page tests that render a signed-in page under its guard. With no
 * session kept on the device, the guard sends to `/login` at once and the refresh on load
 * brings the person back (src/app/require-session.tsx); this route lets that round trip happen.
 */
import type { RouteObject } from 'react-router';
import { RequireNoSession } from '../app/require-session';

/** `/login` guarded as in the app, showing a stub. */
export const signInRoute: RouteObject = {
  path: '/login',
  element: (
    <RequireNoSession>
      <p>Sign in stub</p>
    </RequireNoSession>
  ),
};
