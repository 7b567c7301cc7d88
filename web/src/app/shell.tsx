/**
 * The frame of every signed-in page: the company's header, who is signed in, and sign-out.
 */
import { Suspense, useEffect, useState } from 'react';
import { Outlet, useNavigate } from 'react-router';
import type { Role } from '../api/types';
import { BrandMark } from '../components/brand-mark';
import { brandStyle, parseBrandColor } from '../components/brand-theme';
import { useSession, useSignedInUser } from '../session/session-context';

const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  engineer: 'Engineer',
  crew: 'Crew',
  viewer: 'Viewer',
};

/** Layout route for signed-in pages. */
export function Shell() {
  const user = useSignedInUser();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const branding = user.company.branding;

  useThemeColor(branding.primary_color);

  async function handleSignOut() {
    setSigningOut(true);
    await signOut();
    await navigate('/login', { replace: true });
  }

  return (
    <div className="shell" style={brandStyle(branding.primary_color)}>
      <header className="shell__header">
        <BrandMark branding={branding} />
        <div className="shell__user">
          <p className="shell__who">
            <span className="shell__name">{user.name}</span>
            <span className="shell__role">{ROLE_LABEL[user.role]}</span>
          </p>
          <button
            className="button button--on-brand"
            type="button"
            disabled={signingOut}
            onClick={() => void handleSignOut()}
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="shell__main">
        <Suspense fallback={<p className="notice" role="status">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
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
