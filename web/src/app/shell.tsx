/**
 * The frame of every signed-in page: the company's header, who is signed in, the way around
 * and sign-out; whether Bosun is offline, and a newer version waiting to be started. While the
 * company requires a second factor the person has not set up, every page but their account
 * sends them there.
 *
 * On a phone (up to 480 px) the header keeps the brand, the sync state and an "Account" menu
 * button on one row (styles.css): who is signed in and "Sign out" fold into the menu, and the
 * navigation scrolls sideways on the row below.
 */
import { lazy, Suspense, useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
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
import { useSyncClient } from '../sync/sync-context';
import { SyncStatus, useConfirmSignOut } from '../sync/sync-status';
import { useWaitingUpdate } from './app-update';

/** The count beside "Assignments": it reads the replica, so it loads with the sync engine. */
const AnswersCount = lazy(() => import('./answers-count').then((m) => ({ default: m.AnswersCount })));

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
  const sync = useSyncClient();
  const menuId = useId();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  // A page opened from the header (or anywhere) closes the account menu.
  const [menuPath, setMenuPath] = useState(location.pathname);
  if (menuPath !== location.pathname) {
    setMenuPath(location.pathname);
    setMenuOpen(false);
  }

  useThemeColor(branding.primary_color);

  function closeOnEscape(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== 'Escape' || !menuOpen) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  }

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
        <div className="shell__status">
          {offline ? (
            <p className="shell__offline" role="status" title="Bosun cannot reach the server; it reconnects by itself.">
              Offline
            </p>
          ) : null}
          <SyncStatus />
        </div>
        {/* Shown on phones only (styles.css): elsewhere the account's controls are in the row. */}
        <button
          ref={menuButton}
          className="shell__menu-button"
          type="button"
          aria-expanded={menuOpen}
          aria-controls={menuId}
          onClick={() => {
            setMenuOpen(!menuOpen);
          }}
        >
          <svg className="shell__menu-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="2" />
            <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
          <span className="visually-hidden">Account</span>
        </button>
        <div className="shell__account" id={menuId} data-open={menuOpen ? 'true' : undefined} onKeyDown={closeOnEscape}>
          <p className="shell__who">
            <span className="shell__name">{user.name}</span>
            <span className="shell__role">{ROLE_LABEL[user.role]}</span>
          </p>
          <button
            className="button button--on-brand shell__sign-out"
            type="button"
            disabled={signingOut}
            onClick={() => void handleSignOut()}
          >
            Sign out
          </button>
        </div>
        <nav className="shell__nav" aria-label="Main" onFocus={showFocusedLink}>
          {!mfaEnrollmentRequired && (may(user.role, 'analytics.read') || may(user.role, 'assignment.answer')) ? (
            <NavLink to={DASHBOARD_PATH}>Dashboard</NavLink>
          ) : null}
          {mfaEnrollmentRequired ? null : <NavLink to={SIGNED_IN_HOME}>Vessels</NavLink>}
          {!mfaEnrollmentRequired && may(user.role, 'workorder.read') ? <NavLink to="/work-orders">Work</NavLink> : null}
          {mfaEnrollmentRequired ? null : (
            <NavLink to="/assignments">
              Assignments
              {sync && may(user.role, 'assignment.answer') ? (
                <Suspense fallback={null}>
                  <AnswersCount userId={user.id} />
                </Suspense>
              ) : null}
            </NavLink>
          )}
          {!mfaEnrollmentRequired && may(user.role, 'workorder.read') ? <NavLink to="/maintenance">Maintenance</NavLink> : null}
          {mfaEnrollmentRequired ? null : <NavLink to="/scan">Scan</NavLink>}
          {mfaEnrollmentRequired ? null : <NavLink to="/faults">Faults</NavLink>}
          {!mfaEnrollmentRequired && may(user.role, 'stock.read') ? <NavLink to="/stock">Stock</NavLink> : null}
          {!mfaEnrollmentRequired && may(user.role, 'parts.read') ? <NavLink to="/purchasing">Purchasing</NavLink> : null}
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
