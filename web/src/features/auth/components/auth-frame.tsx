/**
 * The frame of the pages a person sees before signing in (sign-in, invitation, password
 * reset): a header in the company's colour with its name, and a narrow column below.
 */
import type { ReactNode } from 'react';
import type { Branding } from '../../../api/types';
import { BrandMark } from '../../../components/brand-mark';
import { brandStyle } from '../../../components/brand-theme';

/** The page; `branding` null shows Bosun's own name and colour. */
export function AuthFrame({ branding, children }: { branding: Branding | null; children: ReactNode }) {
  return (
    <div className="login" style={brandStyle(branding?.primary_color)}>
      <header className="login__header">
        {branding ? (
          <BrandMark branding={branding} as="h1" />
        ) : (
          <h1 className="brand-mark">
            <span className="brand-mark__name">Bosun</span>
          </h1>
        )}
      </header>
      <main className="login__main">{children}</main>
    </div>
  );
}
