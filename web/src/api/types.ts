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

/** What a person may do in their company, from most to least powerful. */
export type Role = 'owner' | 'admin' | 'manager' | 'engineer' | 'crew' | 'viewer';

/** The signed-in person (`GET /api/v1/me`). */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  specialisation: string | null;
  active: boolean;
  company: CompanyView;
}

/** Answer to login and refresh: a short-lived access token and who it belongs to. */
export interface AuthSession {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserView;
}

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
