/**
 * The company's people and the ways in: members, invitations, API keys and the rule that
 * owners and admins sign in with a second factor.
 */
import { useQuery } from '@tanstack/react-query';
import { answer, api, noAnswer } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type {
  ApiKeyView,
  CreatedApiKeyView,
  InvitationView,
  InvitedView,
  MemberView,
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

/** Query keys of the page's lists; inviting reads members and invitations again. */
export const PEOPLE_KEYS = {
  all: ['people'],
  members: ['people', 'members'],
  invitations: ['people', 'invitations'],
  apiKeys: ['people', 'api-keys'],
  vessels: ['people', 'vessels'],
} as const;

/** A page's query options, from `cursor` on. */
const pageOf = (cursor: string | undefined, signal: AbortSignal | undefined, limit = 200) => ({
  params: { query: { limit, ...(cursor === undefined ? {} : { cursor }) } },
  ...(signal ? { signal } : {}),
});

/** `GET /api/v1/users`, every page. */
export function listMembers(signal?: AbortSignal): Promise<MemberView[]> {
  return fetchAllPages((cursor) => answer(api.GET('/api/v1/users', pageOf(cursor, signal))));
}

/** The company's people, in the query cache. */
export function useMembers() {
  return useQuery({ queryKey: PEOPLE_KEYS.members, queryFn: load('Could not load the people', listMembers) });
}

/** `GET /api/v1/invitations`, every page: pending and expired ones. */
export function listInvitations(signal?: AbortSignal): Promise<InvitationView[]> {
  return fetchAllPages((cursor) => answer(api.GET('/api/v1/invitations', pageOf(cursor, signal))));
}

/** The open invitations, in the query cache. */
export function useInvitations() {
  return useQuery({
    queryKey: PEOPLE_KEYS.invitations,
    queryFn: load('Could not load the invitations', listInvitations),
  });
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
  return answer(
    api.POST('/api/v1/invitations', {
      body: {
        email: invitation.email,
        name: invitation.name,
        role: invitation.role,
        ...(invitation.specialisation ? { specialisation: invitation.specialisation } : {}),
      },
    }),
  );
}

/** `DELETE /api/v1/invitations/{id}`: the link stops working. */
export function withdrawInvitation(id: string): Promise<void> {
  return noAnswer(api.DELETE('/api/v1/invitations/{id}', { params: { path: { id } } }));
}

/** `GET /api/v1/api-keys`: newest first, revoked and expired ones too. */
export async function listApiKeys(signal?: AbortSignal): Promise<ApiKeyView[]> {
  const list = await answer(api.GET('/api/v1/api-keys', signal ? { signal } : {}));
  return list.items;
}

/** The company's API keys, in the query cache. */
export function useApiKeys() {
  return useQuery({ queryKey: PEOPLE_KEYS.apiKeys, queryFn: load('Could not load the API keys', listApiKeys) });
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
  return answer(
    api.POST('/api/v1/api-keys', {
      body: {
        name: key.name,
        role: key.role,
        ...(key.vesselIds.length > 0 ? { vessel_ids: key.vesselIds } : {}),
        ...(key.expiresInDays !== null ? { expires_in_days: key.expiresInDays } : {}),
      },
    }),
  );
}

/** `DELETE /api/v1/api-keys/{id}`: the key stops working with its next request. */
export function revokeApiKey(id: string): Promise<void> {
  return noAnswer(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } }));
}

/** `GET /api/v1/vessels`, every page: what a key may be limited to. */
export function listVessels(signal?: AbortSignal): Promise<VesselView[]> {
  return fetchAllPages((cursor) => answer(api.GET('/api/v1/vessels', pageOf(cursor, signal, 100))));
}

/** The vessels a key may be limited to, in the query cache. */
export function useVesselChoices() {
  return useQuery({ queryKey: PEOPLE_KEYS.vessels, queryFn: load('Could not load the vessels', listVessels) });
}

/** A person's role and whether they may sign in, as an owner or admin changes them. */
export interface MemberChange {
  role?: Role;
  active?: boolean;
}

/** `PUT /api/v1/users/{id}`: `409 last_owner` for the company's last active owner. */
export function updateMember(id: string, change: MemberChange): Promise<MemberView> {
  return answer(api.PUT('/api/v1/users/{id}', { params: { path: { id } }, body: change }));
}
