/**
 * The company's own settings: its branding (name, logo, colour), whether owners and admins
 * must sign in with a second factor, and its purchasing (parts markup, stock below zero).
 */
import { answer, api } from '../../../api/client';
import type { components } from '../../../api/schema.gen';
import type { OwnCompanyView } from '../../../api/types';

/** New branding, as the form checked it. */
export interface NewBranding {
  displayName: string;
  /** Empty: no logo. */
  logoUrl: string;
  primaryColor: string;
}

/** `PUT /api/v1/companies/{id}/branding`: the company as it now is. */
export function updateBranding(companyId: string, branding: NewBranding): Promise<OwnCompanyView> {
  return answer(
    api.PUT('/api/v1/companies/{id}/branding', {
      params: { path: { id: companyId } },
      body: {
        display_name: branding.displayName,
        logo_url: branding.logoUrl === '' ? null : branding.logoUrl,
        primary_color: branding.primaryColor,
      },
    }),
  );
}

/** `PUT /api/v1/companies/{id}/security`: `409 mfa_not_enabled` when the caller has no second factor. */
export function setRequireMfa(companyId: string, requireMfa: boolean): Promise<OwnCompanyView> {
  return answer(
    api.PUT('/api/v1/companies/{id}/security', { params: { path: { id: companyId } }, body: { require_mfa: requireMfa } }),
  );
}

/** The purchasing settings, as the form checked them (`PurchasingBody`). */
export type Purchasing = components['schemas']['PurchasingBody'];

/** `PUT /api/v1/companies/{id}/purchasing`: the company as it now is. */
export function updatePurchasing(companyId: string, purchasing: Purchasing): Promise<OwnCompanyView> {
  return answer(
    api.PUT('/api/v1/companies/{id}/purchasing', {
      params: { path: { id: companyId } },
      body: { parts_markup_percent: purchasing.parts_markup_percent, negative_stock: purchasing.negative_stock },
    }),
  );
}
