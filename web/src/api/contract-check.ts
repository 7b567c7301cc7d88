/**
 * Compile-time drift check between the hand-written shapes in `types.ts` and the types
 * generated from the server's OpenAPI document (`schema.gen.ts`, see scripts/update-openapi.sh).
 * Every field the app reads must exist on the server's view with a compatible type; when the
 * server renames or retypes one, `tsc --noEmit` fails here. Shapes re-exported from the
 * generated file as they are (equipment, faults, readings) need no check: they are the server's.
 */
import type { components } from './schema.gen';
import type {
  ApiKeyView,
  AuthSession,
  Branding,
  CompanyView,
  CreatedApiKeyView,
  FieldViolation,
  InvitationPreview,
  InvitationView,
  InvitedView,
  MemberView,
  OwnCompanyView,
  Problem,
  UserView,
  VesselView,
} from './types';

type Schemas = components['schemas'];

/** `true` when every key of `App` is a key of `Server`. */
type HasFields<Server, App> = Exclude<keyof App, keyof Server> extends never ? true : false;
/** Compiles only when `T` is `true`. */
type Assert<T extends true> = T;

export type ContractChecks = [
  Assert<HasFields<Schemas['Problem'], Problem>>,
  Assert<HasFields<Schemas['FieldError'], FieldViolation>>,
  Assert<HasFields<Schemas['BrandingView'], Branding>>,
  Assert<HasFields<Schemas['PublicCompanyView'], CompanyView>>,
  Assert<HasFields<Schemas['UserView'], UserView>>,
  Assert<HasFields<Schemas['LoginResponse'], AuthSession>>,
  Assert<HasFields<Schemas['VesselView'], VesselView>>,
  // `GET /api/v1/vessels/{id}` is read as a `VesselView` (the equipment list's heading).
  Assert<HasFields<Schemas['VesselDetailView'], VesselView>>,
  Assert<HasFields<Schemas['CompanyView'], OwnCompanyView>>,
  Assert<HasFields<Schemas['InvitationPreview'], InvitationPreview>>,
  Assert<HasFields<Schemas['InvitationView'], InvitationView>>,
  Assert<HasFields<Schemas['InvitedView'], InvitedView>>,
  Assert<HasFields<Schemas['MemberView'], MemberView>>,
  Assert<HasFields<Schemas['ApiKeyView'], ApiKeyView>>,
  Assert<HasFields<Schemas['CreatedApiKeyView'], CreatedApiKeyView>>,
  // Field types the app relies on.
  Assert<Schemas['LoginResponse']['mfa_enrollment_required'] extends AuthSession['mfa_enrollment_required'] ? true : false>,
  Assert<Schemas['CompanyView']['require_mfa'] extends OwnCompanyView['require_mfa'] ? true : false>,
  Assert<Schemas['InvitedView']['accept_url'] extends InvitedView['accept_url'] ? true : false>,
  Assert<Schemas['CreatedApiKeyView']['secret'] extends CreatedApiKeyView['secret'] ? true : false>,
  Assert<Schemas['ApiKeyView']['vessel_ids'] extends ApiKeyView['vessel_ids'] ? true : false>,
  Assert<Schemas['VesselView']['name'] extends VesselView['name'] ? true : false>,
  Assert<Schemas['VesselPage']['next_cursor'] extends string | null | undefined ? true : false>,
  Assert<Schemas['UserView']['email'] extends UserView['email'] ? true : false>,
  Assert<Schemas['LoginResponse']['access_token'] extends AuthSession['access_token'] ? true : false>,
];
