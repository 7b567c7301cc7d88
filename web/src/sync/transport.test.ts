import { TransportError } from './protocol';
import { ScriptedTransport, applied, page } from './test-support';
import { FallbackTransport, SocketTransport, eventsSocketUrl, type SocketLike } from './transport';

/** A WebSocket the test drives: it records what was sent and delivers what the test says. */
class FakeSocket implements SocketLike {
  readyState = 0;
  binaryType = 'blob';
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  fail(): void {
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close'));
  }

  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }

  deliver(message: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

function setUp(token = 't1') {
  const sockets: FakeSocket[] = [];
  const pokes: string[] = [];
  let current = token;
  const transport = new SocketTransport({
    url: () => eventsSocketUrl(current, 'https://bosun.test'),
    open: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    onPoke: (scope) => pokes.push(scope),
  });
  return {
    transport,
    sockets,
    pokes,
    setToken: (t: string) => {
      current = t;
    },
  };
}

const ZSTD_ANSWER =
  'KLUv/QRYRQMAkscXGZCnbUBLmqAwakKBDF/WNj933YD5Ytf/KgGtNYbvs9roGvrb5hzgt5AOKQVKRaVap1Cd/BME8IVc1l9j+F4CSkN/J/Rw/BaTkp7hmdfxI/Ck/E6WeR0ARYY+nqBizgIBAF3JVBTUAv2u';

const pullBody = (cookie: string | null) => ({ client_id: 'c-1', cookie, schema_version: 1 });

/** Waits until the socket has sent `n` messages. */
async function sent(socket: FakeSocket | undefined, n: number) {
  await vi.waitFor(() => {
    expect(socket?.sent).toHaveLength(n);
  });
  return socket?.sent.at(-1) ?? {};
}

describe('sync over the events socket', () => {
  test('numbers requests, leaves out the client and schema after the first, and ignores late answers', async () => {
    const { transport, sockets } = setUp();
    const first = transport.pull(pullBody(null));
    sockets[0]?.open();
    expect(sockets[0]?.url).toBe('wss://bosun.test/api/v1/events?access_token=t1&zstd=true');
    expect(await sent(sockets[0], 1)).toEqual({ id: 1, pull: pullBody(null) });
    sockets[0]?.deliver({ kind: 'sync.pulled', id: 1, pull: page('c1', {}, false) });
    expect((await first).cookie).toBe('c1');

    const second = transport.pull(pullBody('c1'));
    expect(await sent(sockets[0], 2)).toEqual({ id: 2, pull: { cookie: 'c1' } });
    // An event between, and a late answer to an earlier number: neither is the answer.
    sockets[0]?.deliver({ kind: 'fault.reported', scope: 'vessel:9', summary: {} });
    sockets[0]?.deliver({ kind: 'sync.pulled', id: 1, pull: page('stale', {}, false) });
    sockets[0]?.deliver({ kind: 'sync.pulled', id: 2, pull: page('c2', {}, false) });
    expect((await second).cookie).toBe('c2');
    expect(sockets).toHaveLength(1);
  });

  test('an answer compressed as a zstd frame is read like a text one', async () => {
    const { transport, sockets } = setUp();
    const pull = transport.pull(pullBody(null));
    sockets[0]?.open();
    expect(sockets[0]?.binaryType).toBe('arraybuffer');
    await sent(sockets[0], 1);
    // `{"kind":"sync.pulled","id":1,"pull":{"cookie":"zc1",...,"more":false}}` made by the zstd
    // command-line tool (level 3, with its checksum).
    const frame = Uint8Array.from(atob(ZSTD_ANSWER), (c) => c.charCodeAt(0));
    sockets[0]?.onmessage?.(new MessageEvent('message', { data: frame.buffer }));
    expect((await pull).cookie).toBe('zc1');

    // A frame that is not zstd gives the socket up and fails the request as a link failure.
    const next = transport.pull(pullBody('zc1'));
    await sent(sockets[0], 2);
    sockets[0]?.onmessage?.(new MessageEvent('message', { data: new Uint8Array([1, 2, 3]).buffer }));
    await expect(next).rejects.toMatchObject({ failure: { kind: 'link' } });
    expect(sockets[0]?.closed).toBe(true);
  });

  test('pokes are handed on by scope, also between requests', async () => {
    const { transport, sockets, pokes } = setUp();
    transport.connect();
    sockets[0]?.open();
    sockets[0]?.deliver({ kind: 'sync.changed', scope: 'company:1' });
    sockets[0]?.deliver({ kind: 'fault.reported', scope: 'vessel:2' });
    sockets[0]?.deliver({ kind: 'resync', scope: null });
    await vi.waitFor(() => {
      expect(pokes).toEqual(['company:1', 'vessel:2']);
    });
  });

  test('a refusal carries the problem; a refused cookie and a refused token are told apart', async () => {
    const { transport, sockets } = setUp();
    const pull = transport.pull(pullBody('old'));
    sockets[0]?.open();
    await sent(sockets[0], 1);
    sockets[0]?.deliver({
      kind: 'sync.refused',
      id: 1,
      problem: { status: 422, code: 'validation_failed', errors: [{ field: 'cookie', code: 'invalid_cookie' }] },
    });
    await expect(pull).rejects.toEqual(new TransportError({ kind: 'invalid_cookie' }));

    const push = transport.push({ client_id: 'c-1', schema_version: 1, mutations: [] });
    await sent(sockets[0], 2);
    sockets[0]?.deliver({ kind: 'sync.refused', id: 2, problem: { status: 401, code: 'unauthorized' } });
    await expect(push).rejects.toMatchObject({ failure: { kind: 'unauthorized' } });
    expect(sockets[0]?.closed).toBe(true);
  });

  test('a socket that drops fails its request as delivered, and the next opens another with the current token', async () => {
    const { transport, sockets, setToken } = setUp();
    const push = transport.push({ client_id: 'c-1', schema_version: 1, mutations: [] });
    sockets[0]?.open();
    await sent(sockets[0], 1);
    sockets[0]?.drop();
    await expect(push).rejects.toMatchObject({ failure: { kind: 'link', delivered: true } });
    setToken('t2');
    const pull = transport.pull(pullBody(null));
    await vi.waitFor(() => {
      expect(sockets).toHaveLength(2);
    });
    sockets[1]?.open();
    expect(sockets[1]?.url).toContain('access_token=t2');
    // A new socket is told the client and schema again.
    expect(await sent(sockets[1], 1)).toEqual({ id: 2, pull: pullBody(null) });
    sockets[1]?.deliver({ kind: 'sync.pulled', id: 2, pull: page('c1', {}, false) });
    expect((await pull).cookie).toBe('c1');
  });

  test('no answer in time is a link failure, and the socket is not used again', async () => {
    vi.useFakeTimers();
    try {
      const { transport, sockets } = setUp();
      const pull = transport.pull(pullBody(null));
      const failed = expect(pull).rejects.toMatchObject({ failure: { kind: 'link', delivered: true } });
      sockets[0]?.open();
      await vi.waitFor(() => {
        expect(sockets[0]?.sent).toHaveLength(1);
      });
      await vi.advanceTimersByTimeAsync(120_000);
      await failed;
      expect(sockets[0]?.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test('HTTP carries what the socket cannot: a socket that will not open, or a refused token', async () => {
    const { transport, sockets } = setUp();
    const http = new ScriptedTransport().answerPush(applied([1]), applied([2]));
    const both = new FallbackTransport(transport, http);
    const first = both.push({ client_id: 'c-1', schema_version: 1, mutations: [] });
    sockets[0]?.fail();
    expect((await first).applied).toEqual([1]);

    const second = both.push({ client_id: 'c-1', schema_version: 1, mutations: [] });
    sockets[1]?.open();
    await sent(sockets[1], 1);
    sockets[1]?.deliver({ kind: 'sync.refused', id: 1, problem: { status: 401 } });
    expect((await second).applied).toEqual([2]);
    expect(http.pushes).toHaveLength(2);

    // Other refusals are the server's answer: not sent again.
    const third = both.push({ client_id: 'c-1', schema_version: 1, mutations: [] });
    await vi.waitFor(() => {
      expect(sockets).toHaveLength(3);
    });
    sockets[2]?.open();
    await sent(sockets[2], 1);
    sockets[2]?.deliver({ kind: 'sync.refused', id: 2, problem: { status: 409, code: 'client_mismatch' } });
    await expect(third).rejects.toMatchObject({ failure: { kind: 'refused', status: 409, code: 'client_mismatch' } });
    expect(http.pushes).toHaveLength(2);
  });
});
