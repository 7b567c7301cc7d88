/**
 * Compile-time drift check between the hand-written problem details in `types.ts` and the
 * server's, generated from its OpenAPI document (`schema.gen.ts`, see scripts/update-openapi.sh).
 * Every field the app reads must exist on the server's view with a compatible type; when the
 * server renames or retypes one, `tsc --noEmit` fails here. The other shapes are the generated
 * ones and need no check.
 */
import type { components } from './schema.gen';
import type { FieldViolation, Problem } from './types';

type Schemas = components['schemas'];

/** `true` when every key of `App` is a key of `Server`. */
type HasFields<Server, App> = Exclude<keyof App, keyof Server> extends never ? true : false;
/** Compiles only when `T` is `true`. */
type Assert<T extends true> = T;

export type ContractChecks = [
  Assert<HasFields<Schemas['Problem'], Problem>>,
  Assert<HasFields<Schemas['FieldError'], FieldViolation>>,
  Assert<Schemas['Problem']['status'] extends Problem['status'] ? true : false>,
  Assert<Schemas['FieldError']['message'] extends FieldViolation['message'] ? true : false>,
];
