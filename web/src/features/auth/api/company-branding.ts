/**
 * The public branding of the company a person signs in to, found by its slug.
 */
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../../api/client';
import type { Branding, CompanyView } from '../../../api/types';
import { readLastCompany } from '../../../session/last-company';

/** What is known about the company of the sign-in page. */
export type CompanyLookup =
  | { status: 'none' }
  | { status: 'loading'; slug: string }
  | { status: 'found'; slug: string; company: CompanyView }
  | { status: 'unknown'; slug: string }
  | { status: 'failed'; slug: string; error: ApiError };

/** Fetches `GET /api/v1/companies/{slug}`. */
export function fetchCompany(slug: string, signal?: AbortSignal): Promise<CompanyView> {
  return api.get<CompanyView>(`/api/v1/companies/${encodeURIComponent(slug)}`, {
    auth: false,
    ...(signal ? { signal } : {}),
  });
}

type Settled = Exclude<CompanyLookup, { status: 'none' } | { status: 'loading' }>;

/** Looks the company up whenever the slug changes; `none` without a slug. */
export function useCompanyLookup(slug: string | null): CompanyLookup {
  const [settled, setSettled] = useState<Settled | null>(null);

  useEffect(() => {
    if (slug === null) return;
    const controller = new AbortController();
    fetchCompany(slug, controller.signal).then(
      (company) => {
        setSettled({ status: 'found', slug, company });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) {
          setSettled({ status: 'unknown', slug });
        } else {
          const failure =
            error instanceof ApiError
              ? error
              : new ApiError({ type: 'about:blank', title: 'Could not load the company', status: 0 });
          setSettled({ status: 'failed', slug, error: failure });
        }
      },
    );
    return () => {
      controller.abort();
    };
  }, [slug]);

  if (slug === null) return { status: 'none' };
  // A result for an earlier slug means the current one is still on its way.
  if (settled?.slug !== slug) return { status: 'loading', slug };
  return settled;
}

/**
 * The branding to show on a page reached from the sign-in page or an e-mail: the company of
 * `?company=`, else the last one signed in to on this device; null when neither is known.
 */
export function useRememberedBranding(querySlug: string | null): Branding | null {
  const [storedSlug] = useState(readLastCompany);
  const lookup = useCompanyLookup(querySlug?.trim().toLowerCase() || storedSlug);
  return lookup.status === 'found' ? lookup.company.branding : null;
}
