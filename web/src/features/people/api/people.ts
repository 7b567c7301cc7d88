/**
 * The company's people and the ways in: members, invitations, API keys and the rule that
 * owners and admins sign in with a second factor.
 */
import { api } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import type {
  ApiKeyView,
  CreatedApiKeyView,
  InvitationView,
  InvitedView,
  MemberView,
  OwnCompanyView,
  Role,
  Specialisation,
  VesselView,
} from '../../../api/types';

/** Roles that may list people and invitations (`user.list`). */
export const LISTING_ROLES: readonly Role[] = ['owner', 'admin', 'manager'];

/** Roles that may invite, withdraw invitations, manage API keys and security settings. */
export const ADMINISTERING_ROLES: readonly Role[] = ['owner', 'admin'];

/** Roles an API key may act with (never owner). */
export const API_KEY_ROLES = ['admin', 'manager', 'engineer', 'crew', 'viewer'] as const satisfies readonly Role[];

/** Roles limited to their vessels: a key of one must name its vessels. */
export const VESSEL_SCOPED_ROLES: readonly Role[] = ['engineer', 'crew', 'viewer'];

/** `GET /api/v1/users`, every page. */
export function listMembers(signal?: AbortSignal): Promise<MemberView[]> {
  return fetchAllPages<MemberView>('/api/v1/users', signal);
}

/** `GET /api/v1/invitations`, every page: pending and expired ones. */
export function listInvitations(signal?: AbortSignal): Promise<InvitationView[]> {
  return fetchAllPages<InvitationView>('/api/v1/invitations', signal);
}

/** A person to invite. */
export interface NewInvitation {
  email: string;
  name: string;
  role: Role;
  specialisation: Specialisation | null;
}

/** `POST /api/v1/invitations`: the link comes in this answer only. */
export function invite(invitation: NewInvitation): Promise<InvitedView> {
  const body: Record<string, string> = { email: invitation.email, name: invitation.name, role: invitation.role };
  if (invitation.specialisation) body.specialisation = invitation.specialisation;
  return api.post<InvitedView>('/api/v1/invitations', { body });
}

/** `DELETE /api/v1/invitations/{id}`: the link stops working. */
export function withdrawInvitation(id: string): Promise<void> {
  return api.delete<undefined>(`/api/v1/invitations/${encodeURIComponent(id)}`);
}

/** `GET /api/v1/api-keys`: newest first, revoked and expired ones too. */
export async function listApiKeys(signal?: AbortSignal): Promise<ApiKeyView[]> {
  const list = await api.get<{ items: ApiKeyView[] }>('/api/v1/api-keys', signal ? { signal } : {});
  return list.items;
}

/** A key to make. */
export interface NewApiKey {
  name: string;
  role: (typeof API_KEY_ROLES)[number];
  /** Empty: every vessel its role may see (admin, manager only). */
  vesselIds: string[];
  expiresInDays: number | null;
}

/** `POST /api/v1/api-keys`: the secret comes in this answer only. */
export function createApiKey(key: NewApiKey): Promise<CreatedApiKeyView> {
  const body: Record<string, unknown> = { name: key.name, role: key.role };
  if (key.vesselIds.length > 0) body.vessel_ids = key.vesselIds;
  if (key.expiresInDays !== null) body.expires_in_days = key.expiresInDays;
  return api.post<CreatedApiKeyView>('/api/v1/api-keys', { body });
}

/** `DELETE /api/v1/api-keys/{id}`: the key stops working with its next request. */
export function revokeApiKey(id: string): Promise<void> {
  return api.delete<undefined>(`/api/v1/api-keys/${encodeURIComponent(id)}`);
}

/** `GET /api/v1/vessels`, every page: what a key may be limited to. */
export function listVessels(signal?: AbortSignal): Promise<VesselView[]> {
  return fetchAllPages<VesselView>('/api/v1/vessels', signal, 100);
}

/** `PUT /api/v1/companies/{id}/security`: `409 mfa_not_enabled` when the caller has no second factor. */
export function setRequireMfa(companyId: string, requireMfa: boolean): Promise<OwnCompanyView> {
  return api.put<OwnCompanyView>(`/api/v1/companies/${encodeURIComponent(companyId)}/security`, {
    body: { require_mfa: requireMfa },
  });
}
