/**
 * Names for the shapes of the `/api/v1` contract that the web app uses.
 *
 * All but the problem details are the generated shapes (`schema.gen.ts`), re-exported under the
 * names the app uses. The problem details are hand-written because the client also makes one
 * from an answer that is not problem+json (a proxy's error page); `contract-check.ts` keeps them
 * from drifting from the server's.
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
export type Branding = Schemas['BrandingView'];

/** Public view of a company (`GET /api/v1/companies/{slug}`). */
export type CompanyView = Schemas['PublicCompanyView'];

/** The company of the signed-in person, as its own people see it. */
export type OwnCompanyView = Schemas['CompanyView'];

/** What a person may do in their company, from most to least powerful. */
export type Role = Schemas['Role'];

/** A person's trade (`specialisation`). */
export type Specialisation = Schemas['Specialisation'];

/** The signed-in person (`GET /api/v1/me`). */
export type UserView = Schemas['UserView'];

/**
 * Answer to login, refresh and accepting an invitation: an access token and who it is for.
 * `mfa_enrollment_required`: the company requires a second factor of this person, who has none
 * yet; until one is set up, everything but `/me` and `/me/*` answers `403 mfa_enrollment_required`.
 */
export type AuthSession = Schemas['LoginResponse'];

/** What an invitation link invites to (`POST /api/v1/invitations/lookup`). */
export type InvitationPreview = Schemas['InvitationPreview'];

/** An open invitation (`GET /api/v1/invitations`). */
export type InvitationView = Schemas['InvitationView'];

/** A new invitation and its link, shown once (`POST /api/v1/invitations`). */
export type InvitedView = Schemas['InvitedView'];

/** A person of the company (`GET /api/v1/users`). */
export type MemberView = Schemas['MemberView'];

/** An API key, never its secret (`GET /api/v1/api-keys`); empty `vessel_ids`: every vessel its role may see. */
export type ApiKeyView = Schemas['ApiKeyView'];

/** A new API key with its secret, shown once (`POST /api/v1/api-keys`). */
export type CreatedApiKeyView = Schemas['CreatedApiKeyView'];

/** One of the person's sessions (`GET /api/v1/me/sessions`). */
export type SessionView = Schemas['SessionView'];

/** Where the person's second factor stands (`GET /api/v1/me/mfa`). */
export type MfaStatusView = Schemas['MfaStatusView'];

/** A new TOTP seed for an authenticator app (`POST /api/v1/me/mfa/totp`). */
export type TotpEnrolmentView = Schemas['TotpEnrolmentView'];

/** Recovery codes, shown once. */
export type RecoveryCodesView = Schemas['RecoveryCodesView'];

/** A vessel, shore site or project: something that owns equipment. */
export type VesselView = Schemas['VesselView'];

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

/** A child item counting its parent's running hours since `linked_at` (`meter_link`). */
export type MeterLinkView = Schemas['MeterLinkView'];
/** A stored photo or document, and where its bytes are served. */
export type AttachmentView = Schemas['AttachmentView'];

/** A fault as the fault endpoints send it; `repair_seconds` only for roles that may see it. */
export type FaultView = Schemas['FaultView'];

/** A page of faults (`GET /api/v1/faults/active`). */
export type FaultPage = Schemas['FaultPage'];
