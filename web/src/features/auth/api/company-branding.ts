/**
 * The public branding of the company a person signs in to, found by its slug.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { answer, api, type ApiError } from '../../../api/client';
import { load } from '../../../api/query';
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
  return answer(api.public.GET('/api/v1/companies/{slug}', { params: { path: { slug } }, ...(signal ? { signal } : {}) }));
}

/**
 * The lookup of one company in the query cache: what the sign-in page reads, and what the app
 * fetches at start (`preloadOpeningPage`) so the page finds it there.
 */
export function companyQuery(slug: string) {
  return queryOptions({
    queryKey: ['company', slug],
    queryFn: load('Could not load the company', (signal) => fetchCompany(slug, signal)),
    // What was fetched at start is what the page shows, not asked for again when it mounts
    // (an unknown company included).
    staleTime: 5 * 60_000,
    retryOnMount: false,
  });
}

/** The slug of the sign-in page's company: `?company=`, else the last one signed in to here. */
export function signInCompanySlug(querySlug: string | null, storedSlug: string | null): string | null {
  return querySlug?.trim().toLowerCase() || storedSlug;
}

/** Looks the company up whenever the slug changes; `none` without a slug. */
export function useCompanyLookup(slug: string | null): CompanyLookup {
  const query = useQuery({ ...companyQuery(slug ?? ''), enabled: slug !== null });
  if (slug === null) return { status: 'none' };
  if (query.isPending) return { status: 'loading', slug };
  if (query.isError) {
    return query.error.status === 404 ? { status: 'unknown', slug } : { status: 'failed', slug, error: query.error };
  }
  return { status: 'found', slug, company: query.data };
}

/**
 * The branding to show on a page reached from the sign-in page or an e-mail: the company of
 * `?company=`, else the last one signed in to on this device; null when neither is known.
 */
export function useRememberedBranding(querySlug: string | null): Branding | null {
  const [storedSlug] = useState(readLastCompany);
  const lookup = useCompanyLookup(signInCompanySlug(querySlug, storedSlug));
  return lookup.status === 'found' ? lookup.company.branding : null;
}
