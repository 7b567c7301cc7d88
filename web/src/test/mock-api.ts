/**
 * A stand-in for the Bosun server in unit tests: replaces `fetch` with a table of handlers
 * keyed by "METHOD /path" and records every request.
 */
import { vi } from 'vitest';
import type {
  AuthSession,
  CompanyView,
  EquipmentDetailView,
  EquipmentView,
  OwnCompanyView,
  UserView,
  VesselView,
} from '../api/types';

/** One request as the mock saw it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/** Replaces the global fetch; unmatched requests answer 404 problem+json. */
export function mockApi(handlers: Record<string, Handler | Handler[]>) {
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, Handler[]>(
    Object.entries(handlers).map(([key, handler]) => [key, Array.isArray(handler) ? [...handler] : [handler]]),
  );
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = await record(input, init);
    requests.push(request);
    const { method, url } = request;
    const queue = queues.get(`${method} ${url.pathname}`);
    // A list of handlers answers in turn, its last one answering from then on.
    const handler = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (!handler) return problem(404, 'not_found', 'Not found', `No mock for ${method} ${url.pathname}`);
    return handler(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    requests,
    /** Requests to one endpoint, e.g. `to('POST /api/v1/auth/login')`. */
    to: (key: string) => requests.filter((r) => `${r.method} ${r.url.pathname}` === key),
  };
}

/** What a request carried; the app's client sends `Request` objects, other code (url, init). */
async function record(input: RequestInfo | URL, init?: RequestInit): Promise<RecordedRequest> {
  if (input instanceof Request) {
    const text = await input.clone().text();
    return {
      method: input.method.toUpperCase(),
      url: new URL(input.url),
      headers: new Headers(input.headers),
      body: text === '' ? undefined : parseBody(text, input.headers.get('Content-Type')),
      credentials: input.credentials,
    };
  }
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    url: new URL(String(input), 'http://bosun.test'),
    headers: new Headers(init?.headers),
    body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    credentials: init?.credentials,
  };
}

/** A JSON body parsed; any other (a CSV file) as its text. */
function parseBody(text: string, contentType: string | null): unknown {
  return contentType?.includes('json') === false ? text : JSON.parse(text);
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** An RFC 9457 problem response as the server sends it. */
export function problem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

export const northwind: CompanyView = {
  id: '01900000-0000-7000-8000-000000000001',
  slug: 'northwind',
  name: 'Northwind Offshore AS',
  branding: {
    display_name: 'Northwind Offshore',
    logo_url: 'https://cdn.example/northwind.svg',
    primary_color: '#0a6e5c',
  },
};

/** Northwind as its own people see it (`UserView.company`). */
export const northwindOwn: OwnCompanyView = {
  ...northwind,
  negative_stock: 'refuse',
  plan: 'pro',
  require_mfa: false,
  subscription_status: 'active',
  version: 1,
};

/** A person of Northwind with the given role. */
export function userOf(
  role: UserView['role'],
  name = 'Erin Engineer',
  company: Partial<OwnCompanyView> = {},
): UserView {
  return {
    id: '01900000-0000-7000-8000-0000000000a1',
    email: `${role}@northwind.example`,
    name,
    role,
    specialisation: null,
    active: true,
    company: { ...northwindOwn, ...company },
  };
}

/** A login or refresh answer for the user; `mfaEnrollmentRequired` as the server flags it. */
export function sessionFor(user: UserView, token = 'access-1', mfaEnrollmentRequired = false): AuthSession {
  return { access_token: token, token_type: 'Bearer', expires_in: 900, user, mfa_enrollment_required: mfaEnrollmentRequired };
}

/** An empty success answer (204). */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** A 422 validation problem naming the rejected fields. */
export function invalid(errors: { field: string; code: string; message: string }[]): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', title: 'Invalid request', status: 422, code: 'validation_failed', errors }),
    { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

/** A vessel with sensible defaults. */
export function vessel(name: string, overrides: Partial<VesselView> = {}): VesselView {
  return {
    id: `id-${name.toLowerCase().replace(/\s+/g, '-')}`,
    kind: 'vessel',
    name,
    vessel_type: null,
    imo: null,
    specs: {},
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...overrides,
  };
}

/** An item of equipment with sensible defaults; its id and QR code derive from the name. */
export function equipmentItem(name: string, overrides: Partial<EquipmentView> = {}): EquipmentView {
  const slug = name.toLowerCase().replace(/\s+/g, '-');
  const qrCode = slug.replace(/[^a-z0-9]/g, '').toUpperCase().padEnd(10, '0').slice(0, 10);
  return {
    id: `eq-${slug}`,
    vessel_id: 'id-northwind-spirit',
    parent_id: null,
    level: 'equipment',
    area: 'engine_room',
    name,
    equipment_type: null,
    maker: null,
    model: null,
    serial_number: null,
    criticality: 'medium',
    status: 'operational',
    effective_status: 'operational',
    running_hours: null,
    specs: {},
    qr_code: qrCode,
    qr_url: `https://bosun.test/q/${qrCode}`,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** An item as `GET /api/v1/equipment/{id}` answers: no faults or readings unless given. */
export function equipmentDetail(
  name: string,
  overrides: Partial<EquipmentDetailView> = {},
): EquipmentDetailView {
  return { ...equipmentItem(name), faults: [], readings: [], readings_total: 0, ...overrides };
}
