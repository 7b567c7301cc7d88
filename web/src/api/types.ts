/**
 * Shapes of the `/api/v1` contract that the web app uses.
 *
 * Two kinds: hand-written shapes, narrower than the generated `schema.gen.ts` where the app
 * relies on it (roles and kinds as unions), which `contract-check.ts` keeps from drifting; and
 * the generated shapes, re-exported under their server names, used as they are.
 */
import type { components } from './schema.gen';

type Schemas = components['schemas'];

/** RFC 9457 problem details, as every `/api/v1` error is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | undefined;
  code?: string | undefined;
  errors?: FieldViolation[] | undefined;
}

/** One rejected field of a request body. */
export interface FieldViolation {
  field: string;
  code: string;
  message: string;
}

/** How a company presents itself: on its sign-in page and in the app's header. */
export interface Branding {
  display_name: string;
  logo_url: string | null;
  primary_color: string;
}

/** Public view of a company (`GET /api/v1/companies/{slug}`). */
export interface CompanyView {
  id: string;
  slug: string;
  name: string;
  branding: Branding;
}

/** The company of the signed-in person, as its own people see it. */
export interface OwnCompanyView extends CompanyView {
  /** `basic`, `pro` or `enterprise`. */
  plan: string;
  /** Owners and admins must sign in with a second factor. */
  require_mfa: boolean;
  /** Markup on parts in percent; absent for roles that do not see supplier prices. */
  parts_markup_percent?: number | null | undefined;
}

/** What a person may do in their company, from most to least powerful. */
export type Role = 'owner' | 'admin' | 'manager' | 'engineer' | 'crew' | 'viewer';

/** A person's trade (`specialisation`). */
export type Specialisation =
  | 'mechanical'
  | 'electrical'
  | 'electronics'
  | 'hydraulics'
  | 'deck'
  | 'hull'
  | 'safety'
  | 'general';

/** The signed-in person (`GET /api/v1/me`). */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  specialisation: string | null;
  active: boolean;
  company: OwnCompanyView;
}

/** Answer to login, refresh and accepting an invitation: an access token and who it is for. */
export interface AuthSession {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserView;
  /**
   * The company requires a second factor of this person, who has none yet: until one is set
   * up, everything but `/me` and `/me/*` answers `403 mfa_enrollment_required`.
   */
  mfa_enrollment_required: boolean;
}

/** What an invitation link invites to (`POST /api/v1/invitations/lookup`). */
export interface InvitationPreview {
  company: CompanyView;
  email: string;
  name: string;
  role: Role;
  expires_at: string;
}

/** An open invitation (`GET /api/v1/invitations`). */
export interface InvitationView {
  id: string;
  email: string;
  name: string;
  role: Role;
  specialisation?: string | null | undefined;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  created_at: string;
  expires_at: string;
}

/** A new invitation and its link, shown once (`POST /api/v1/invitations`). */
export interface InvitedView {
  invitation: InvitationView;
  accept_url: string;
  emailed: boolean;
}

/** A person of the company (`GET /api/v1/users`). */
export interface MemberView {
  id: string;
  email: string;
  name: string;
  role: Role;
  specialisation?: string | null | undefined;
  active: boolean;
}

/** An API key, never its secret (`GET /api/v1/api-keys`). */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Exclude<Role, 'owner'>;
  /** Empty: every vessel its role may see. */
  vessel_ids: string[];
  created_at: string;
  expires_at: string;
  last_used_at?: string | null | undefined;
  revoked_at?: string | null | undefined;
}

/** A new API key with its secret, shown once (`POST /api/v1/api-keys`). */
export interface CreatedApiKeyView {
  key: ApiKeyView;
  secret: string;
}

/** One of the person's sessions (`GET /api/v1/me/sessions`). */
export type SessionView = Schemas['SessionView'];

/** Where the person's second factor stands (`GET /api/v1/me/mfa`). */
export type MfaStatusView = Schemas['MfaStatusView'];

/** A new TOTP seed for an authenticator app (`POST /api/v1/me/mfa/totp`). */
export type TotpEnrolmentView = Schemas['TotpEnrolmentView'];

/** Recovery codes, shown once. */
export type RecoveryCodesView = Schemas['RecoveryCodesView'];

/** A vessel, shore site or project: something that owns equipment. */
export interface VesselView {
  id: string;
  kind: 'vessel' | 'site' | 'project';
  name: string;
  vessel_type: string | null;
  imo: string | null;
  specs: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  version: number;
}

/** One page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** An item of equipment as listed: its recorded status and the status people see. */
export type EquipmentView = Schemas['EquipmentView'];

/** An item with its fault history and latest readings (`GET /api/v1/equipment/{id}`). */
export type EquipmentDetailView = Schemas['EquipmentDetailView'];

/** A fault in an item's history. */
export type EquipmentFaultView = Schemas['EquipmentFaultView'];

/** A page of a vessel's equipment, flat (`GET /api/v1/equipment/by-vessel/{id}?view=flat`). */
export type EquipmentFlatList = Schemas['EquipmentFlatList'];

/** A running-hour reading. */
export type ReadingView = Schemas['ReadingView'];

/** A fault as the fault endpoints send it; `repair_seconds` only for roles that may see it. */
export type FaultView = Schemas['FaultView'];

/** A page of faults (`GET /api/v1/faults/active`). */
export type FaultPage = Schemas['FaultPage'];
