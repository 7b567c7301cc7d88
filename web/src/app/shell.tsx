/**
 * The frame of every signed-in page: the company's header, who is signed in, the way around
 * and sign-out; whether Bosun is offline, and a newer version waiting to be started. While the
 * company requires a second factor the person has not set up, every page but their account
 * sends them there.
 */
import { Suspense, useEffect, useState, type FocusEvent } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import type { Role } from '../api/types';
import { BrandMark } from '../components/brand-mark';
import { brandStyle, parseBrandColor } from '../components/brand-theme';
import { ROLE_LABEL } from '../components/role-label';
import { useBrowserOnline } from '../components/use-browser-online';
import { may } from '../components/permissions';
import { ACCOUNT_PATH, DASHBOARD_PATH, SIGNED_IN_HOME } from '../session/return-path';
import {
  useMfaEnrollmentRequired,
  useSession,
  useSessionOffline,
  useSignedInUser,
} from '../session/session-context';
import { SyncStatus, useConfirmSignOut } from '../sync/sync-status';
import { useWaitingUpdate } from './app-update';

/** Roles that see the company's people (`user.list`). */
const PEOPLE_ROLES: readonly Role[] = ['owner', 'admin', 'manager'];

/** Layout route for signed-in pages. */
export function Shell() {
  const user = useSignedInUser();
  const { signOut } = useSession();
  const mfaEnrollmentRequired = useMfaEnrollmentRequired();
  const navigate = useNavigate();
  const location = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  const branding = user.company.branding;
  const sessionOffline = useSessionOffline();
  const browserOnline = useBrowserOnline();
  const offline = sessionOffline || !browserOnline;
  const startUpdate = useWaitingUpdate();
  const confirmSignOut = useConfirmSignOut();

  useThemeColor(branding.primary_color);

  async function handleSignOut() {
    if (!(await confirmSignOut())) return;
    setSigningOut(true);
    await signOut();
    await navigate('/login', { replace: true });
  }

  if (mfaEnrollmentRequired && location.pathname !== ACCOUNT_PATH) {
    return <Navigate to={ACCOUNT_PATH} replace />;
  }

  return (
    <div className="shell" style={brandStyle(branding.primary_color)}>
      {/* For keyboards: past the header's dozen controls to the page. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="shell__header">
        <BrandMark branding={branding} />
        <div className="shell__user">
          <p className="shell__who">
            <span className="shell__name">{user.name}</span>
            <span className="shell__role">{ROLE_LABEL[user.role]}</span>
          </p>
          {offline ? (
            <p className="shell__offline" role="status" title="Bosun cannot reach the server; it reconnects by itself.">
              Offline
            </p>
          ) : null}
          <SyncStatus />
          <button
            className="button button--on-brand"
            type="button"
            disabled={signingOut}
            onClick={() => void handleSignOut()}
          >
            Sign out
          </button>
        </div>
        <nav className="shell__nav" aria-label="Main" onFocus={showFocusedLink}>
          {!mfaEnrollmentRequired && may(user.role, 'analytics.read') ? (
            <NavLink to={DASHBOARD_PATH}>Dashboard</NavLink>
          ) : null}
          {mfaEnrollmentRequired ? null : <NavLink to={SIGNED_IN_HOME}>Vessels</NavLink>}
          {mfaEnrollmentRequired ? null : <NavLink to="/scan">Scan</NavLink>}
          {mfaEnrollmentRequired ? null : <NavLink to="/faults">Faults</NavLink>}
          {mfaEnrollmentRequired ? null : <NavLink to="/handover">Handover</NavLink>}
          {mfaEnrollmentRequired ? null : <NavLink to="/conflicts">Conflicts</NavLink>}
          {!mfaEnrollmentRequired && may(user.role, 'vessel.update') ? <NavLink to="/fleet">Fleet</NavLink> : null}
          {!mfaEnrollmentRequired && PEOPLE_ROLES.includes(user.role) ? <NavLink to="/people">People</NavLink> : null}
          {!mfaEnrollmentRequired && may(user.role, 'company.branding.update') ? (
            <NavLink to="/company">Company</NavLink>
          ) : null}
          {!mfaEnrollmentRequired && may(user.role, 'audit.read') ? <NavLink to="/audit">Audit log</NavLink> : null}
          <NavLink to={ACCOUNT_PATH}>Your account</NavLink>
        </nav>
      </header>
      {startUpdate ? (
        <div className="shell__update" role="status">
          <p>A new version of Bosun is ready.</p>
          <button className="button" type="button" onClick={() => void startUpdate()}>
            Reload
          </button>
        </div>
      ) : null}
      <main className="shell__main" id="main" tabIndex={-1}>
        <Suspense fallback={<p className="notice" role="status">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/**
 * On a phone the navigation scrolls sideways; Chromium leaves a link that Tab reaches half
 * outside it, so the link taking focus is brought fully into view.
 */
function showFocusedLink(event: FocusEvent<HTMLElement>) {
  const link = event.target;
  // jsdom (the unit tests) has no scrollIntoView.
  if (typeof link.scrollIntoView === 'function') link.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Tints the phone's browser bar with the company colour. */
function useThemeColor(color: string) {
  useEffect(() => {
    const meta = document.querySelector<HTMLMetaElement>('meta[name="theme-color"]');
    if (!meta) return;
    const previous = meta.content;
    meta.content = parseBrandColor(color);
    return () => {
      meta.content = previous;
    };
  }, [color]);
}
