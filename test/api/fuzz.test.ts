// Property-based: "nothing ever answers 5xx for a client mistake". Every endpoint gets random and mutated
// requests (seed bodies with fields deleted, replaced by garbage of any JSON type, huge or deeply nested
// values, broken JSON text, wrong content types, garbage headers and tokens); every answer must be < 500,
// errors must carry Pivot's envelope, and whatever succeeds must say code "00".
//
// KASIR_FUZZ_SCALE multiplies the run counts (e.g. 10 for a long soak); KASIR_FUZZ_SEED replays a seed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { DB_KINDS, makeHarness, requestId, uniqueReference, type DbKind, type Harness } from '../helpers/harness.ts';
import { inOneHour, seedAutoConfirmBody, seedConfirmBody, seedConfirmLaterBody, multipleQrBody } from '../helpers/bodies.ts';
import { Tokens } from '../../src/security/tokens.ts';
import { vaRange } from '../helpers/va-numbers.ts';

const SCALE = Number(process.env.KASIR_FUZZ_SCALE ?? 1);
const SEED = process.env.KASIR_FUZZ_SEED === undefined ? undefined : Number(process.env.KASIR_FUZZ_SEED);
/** Full fuzz on SQLite; PostgreSQL gets a lighter pass (same generators, fewer runs). */
const runsFor = (kind: DbKind, sqliteRuns: number) =>
  Math.max(20, Math.round((kind === 'sqlite' ? sqliteRuns : sqliteRuns / 3) * SCALE));
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(SEED !== undefined && { seed: SEED }) });

// ---------- the wire ----------

interface Req {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

interface Res {
  status: number;
  text: string;
  body: any;
}

function describeReq(req: Req): string {
  const payload =
    req.payload === undefined
      ? ''
      : ` payload=${req.payload.length > 400 ? `${req.payload.slice(0, 400)}…(${req.payload.length} chars)` : req.payload}`;
  return `${req.method} ${req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url} headers=${JSON.stringify(req.headers).slice(0, 600)}${payload}`;
}

async function send(h: Harness, req: Req): Promise<Res> {
  const res = await h.app.inject({
    method: req.method as InjectOptions['method'],
    url: req.url,
    headers: req.headers,
    ...(req.payload !== undefined && { payload: req.payload }),
  });
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, text: res.body, body };
}

/** The one contract every answer keeps, whatever was sent. */
function checkContract(req: Req, res: Res): void {
  const where = `${describeReq(req)}\n→ ${res.status} ${res.text.slice(0, 500)}`;
  expect(res.status, where).toBeLessThan(500);
  expect([200, 400, 401, 404, 409, 413, 414, 415, 422], where).toContain(res.status);
  expect(res.body, where).toBeTypeOf('object');
  if (res.status >= 400) {
    const b = res.body;
    expect(typeof b.code, where).toBe('string');
    expect(b.code.length, where).toBeGreaterThan(0);
    expect(b.code, where).not.toBe('00');
    expect(typeof b.message, where).toBe('string');
    expect(b.error, where).toBeTypeOf('object');
    expect(typeof b.error.type, where).toBe('string');
    expect(['API_ERROR'], where).toContain(b.error.type);
    expect(typeof b.error.source, where).toBe('string');
    expect(Array.isArray(b.error.details), where).toBe(true);
    for (const d of b.error.details) {
      expect(typeof d.field, where).toBe('string');
      expect(typeof d.message, where).toBe('string');
    }
    expect(typeof b.error.traceId, where).toBe('string');
    expect(b.error.traceId.length, where).toBeGreaterThan(0);
    expect(b.data, where).toBeUndefined();
  } else {
    expect(res.body.code, where).toBe('00');
    expect(res.body.error, where).toBeUndefined();
  }
}

// ---------- generators: garbage ----------

const DEEP = /"@@DEEP(\d+)@@"/g;
/** Deep nesting cannot go through JSON.stringify (it overflows the stack): a marker is expanded in the text. */
const deepMarker = fc.integer({ min: 50, max: 30_000 }).map((n) => `@@DEEP${n}@@`);
const expandDeep = (text: string) => text.replace(DEEP, (_, n: string) => '['.repeat(Number(n)) + ']'.repeat(Number(n)));

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\t\n\r',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '💥🧾',
  'ヽ(°〇°)ﾉ',
  '\u202eRTL',
  '\ud800',
  '\udfff\ud800',
  'Ω≈ç√∫˜µ≤≥÷',
  '<script>alert(1)</script>',
  "'; DROP TABLE payment_sessions; --",
  '%00',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'IDR',
  'USD',
  'SUCCESS',
  'EXPIRED',
  'FAILED',
  'VIRTUAL_ACCOUNT',
  'QR',
  'CARD',
  'EWALLET',
  'PERMATA',
  'BCA',
  'MULTIPLE',
  'API',
  'REDIRECT',
  'VOID_SESSION',
  'CHARGE_FAILED',
  'https://merchant.com/ok',
  'javascript:alert(1)',
  'http://user:pass@merchant.com/',
  'ftp://merchant.com/',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2020-01-01T00:00:00Z',
  'not-a-date',
  '00000000-0000-0000-0000-000000000000',
);

const hugeString = fc.oneof(
  fc.integer({ min: 100, max: 5_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 200_000, max: 400_000 }).map((n) => 'y'.repeat(n)),
);

/** Timestamps near "now" in odd spellings: leap seconds, offsets, lower case, fractions, far past and future. */
const timestamps = fc
  .tuple(
    fc.integer({ min: -3 * 86400, max: 40 * 86400 }),
    fc.constantFrom('iso', 'leap', 'offset', 'lower', 'space', 'nanos', 'nozone', 'midnight24', 'date'),
  )
  .map(([offsetSeconds, style]) => {
    const iso = new Date(Date.now() + offsetSeconds * 1000).toISOString();
    const day = iso.slice(0, 10);
    switch (style) {
      case 'leap':
        return `${day}T23:59:60Z`;
      case 'offset':
        return `${iso.slice(0, 19)}+07:00`;
      case 'lower':
        return iso.toLowerCase();
      case 'space':
        return iso.replace('T', ' ');
      case 'nanos':
        return `${iso.slice(0, 19)}.123456789Z`;
      case 'nozone':
        return iso.slice(0, 19);
      case 'midnight24':
        return `${day}T24:00:00Z`;
      case 'date':
        return day;
      default:
        return iso;
    }
  });

const numbers = fc.oneof(
  fc.integer(),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    1.5,
    999,
    1000,
    9_999,
    10_000,
    10_000.5,
    9_999_999_999,
    10_000_000_000,
    999_999_999_999_999,
    1e15,
    1e16,
    2 ** 63,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ),
);

const leaf = fc.oneof(
  { weight: 3, arbitrary: nastyStrings },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: numbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: timestamps },
);

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepMarker },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 5 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 201, max: 2_000 })
      .map((n) => Array.from({ length: n }, () => ({ type: 'PHYSICAL', quantity: 1, price: { value: 1, currency: 'IDR' } }))),
  },
);

// ---------- generators: mutations of a seed body ----------

type Mutation =
  | { op: 'timestamp'; at: number; value: string }
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'replaceRoot'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: garbage }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'sureName', 'amount', 'paymentMethodOptions'),
      ),
      value: garbage,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replaceRoot' as const), value: garbage }) },
  // Timestamps are where parsing hides: aim straight at the *expiryAt fields.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('timestamp' as const), at: fc.nat(), value: timestamps }) },
);
/** Mostly one or two mutations, so a body stays close enough to valid to reach the handler. */
const mutations = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
  { weight: 5, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 4 }) },
);

type Path = Array<string | number>;

function allPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(path);
      allPaths(v, path, out);
    }
  }
  return out;
}

function containers(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    out.push(prefix);
    for (const [k, v] of Object.entries(value)) containers(v, [...prefix, k], out);
  }
  return out;
}

function at(root: any, path: Path): any {
  return path.reduce((node, key) => (node == null ? undefined : node[key]), root);
}

function applyMutations(seed: unknown, list: Mutation[]): unknown {
  let body: any = structuredClone(seed);
  for (const m of list) {
    if (m.op === 'replaceRoot') {
      body = structuredClone(m.value);
      continue;
    }
    if (m.op === 'timestamp') {
      const targets = allPaths(body).filter((p) => /expiryAt$/i.test(String(p[p.length - 1])));
      if (!targets.length) continue;
      // targets is not empty, and every path allPaths gives ends in a key.
      const path = targets[m.at % targets.length]!;
      at(body, path.slice(0, -1))[path[path.length - 1]!] = m.value;
      continue;
    }
    if (m.op === 'add') {
      const targets = containers(body);
      if (!targets.length) continue;
      const target = at(body, targets[m.at % targets.length]!);
      // defineProperty so "__proto__" becomes an own key, as JSON text would carry it.
      Object.defineProperty(target, m.key, {
        value: structuredClone(m.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      continue;
    }
    const paths = allPaths(body);
    if (!paths.length) continue;
    const path = paths[m.at % paths.length]!;
    const parent = at(body, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else {
      parent[key] = structuredClone(m.value);
    }
  }
  return body;
}

// ---------- generators: encodings and headers ----------

type Encoding =
  | { kind: 'json'; contentType: string }
  | { kind: 'truncate'; cut: number }
  | { kind: 'splice'; pos: number; insert: string }
  | { kind: 'raw'; text: string; contentType: string }
  | { kind: 'none' };

const contentTypes = fc.constantFrom(
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/problem+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/octet-stream',
  'garbage',
  '*/*',
);

const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ kind: 'json' as const, contentType: 'application/json' }) },
  { weight: 2, arbitrary: contentTypes.map((contentType) => ({ kind: 'json' as const, contentType })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), cut: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('splice' as const),
      pos: fc.nat(),
      insert: fc.oneof(
        fc.constantFrom('{', '}', '"', ',', ':', '\\', '\u0000', 'NaN', 'undefined', '//', '\ud800', ']]'),
        fc.string({ maxLength: 6 }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.constantFrom(
          '',
          'null',
          '[]',
          '"str"',
          '1',
          'true',
          '{}',
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '\ufeff{}',
          '{"a":1}{"b":2}',
        ),
      ),
      contentType: fc.oneof(fc.constant('application/json'), contentTypes),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);

function encode(body: unknown, enc: Encoding): { payload?: string; contentType?: string } {
  if (enc.kind === 'none') return {};
  if (enc.kind === 'raw') return { payload: enc.text, contentType: enc.contentType };
  const text = expandDeep(JSON.stringify(body) ?? 'null');
  if (enc.kind === 'json') return { payload: text, contentType: enc.contentType };
  if (enc.kind === 'truncate')
    return { payload: text.slice(0, enc.cut % Math.max(1, text.length)), contentType: 'application/json' };
  const pos = enc.pos % (text.length + 1);
  return { payload: text.slice(0, pos) + enc.insert + text.slice(pos), contentType: 'application/json' };
}

/** Header values HTTP can carry at all (visible ASCII and obs-text); anything else never reaches a server. */
const headerChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant(' ') },
);
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });
const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
  .filter(
    (n) =>
      ![
        'content-length',
        'transfer-encoding',
        'host',
        'content-type',
        'authorization',
        'x-request-id',
        'connection',
        'expect',
        'upgrade',
      ].includes(n),
  );

type KeyChoice = 'fresh' | 'absent' | 'fixed' | { garbage: string };
const requestIdChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('fresh' as const) },
  { weight: 1, arbitrary: fc.constant('absent' as const) },
  { weight: 1, arbitrary: fc.constant('fixed' as const) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        headerText(60),
        fc.constantFrom(
          'a'.repeat(15),
          'a'.repeat(37),
          'a'.repeat(200),
          'abc-def-ghi-jkl-mno-pqr',
          '0000000000000000 ',
          '１２３４５６７８９０１２３４５６',
          'null',
        ),
      )
      .map((garbage) => ({ garbage })),
  },
);

type AuthChoice = 'valid' | 'absent' | 'other' | 'expired' | 'foreignKey' | 'pageToken' | { garbage: string };
const authChoice: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('valid' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'absent' as const,
      'other' as const,
      'expired' as const,
      'foreignKey' as const,
      'pageToken' as const,
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        headerText(80),
        headerText(80).map((s) => `Bearer ${s}`),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          'bearer a.b.c',
          'Bearer eyJhbGciOiJub25lIn0.eyJtZXJjaGFudElkIjoieCJ9.',
          `Bearer ${'A'.repeat(5000)}`,
        ),
      )
      .map((garbage) => ({ garbage })),
  },
);

const extraHeaders = fc.dictionary(headerName, headerText(40), { maxKeys: 3 });

interface HeaderSpec {
  requestId: KeyChoice;
  auth: AuthChoice;
  extra: Record<string, string>;
}
const headerSpec: fc.Arbitrary<HeaderSpec> = fc.record({ requestId: requestIdChoice, auth: authChoice, extra: extraHeaders });

// ---------- generators: URLs ----------

type IdChoice =
  | 'requireAction'
  | 'requireConfirmation'
  | 'requirePaymentMethod'
  | 'multiple'
  | 'pool'
  | 'otherMerchant'
  | 'uuid'
  | { raw: string }
  | { encoded: string };
const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('requireAction' as const, 'requireConfirmation' as const, 'requirePaymentMethod' as const),
  },
  { weight: 3, arbitrary: fc.constantFrom('multiple' as const, 'pool' as const, 'otherMerchant' as const, 'uuid' as const) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.string({ unit: 'binary', maxLength: 120 }), nastyStrings, fc.constant('x'.repeat(101)))
      .map((encoded) => ({ encoded })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('%', '%E0%A4%A', '%00', '%ZZ', '..', '.', '%2F', 'a%2Fb', '%C0%AF', '~', "'", '%FF%FE')
      .map((raw) => ({ raw })),
  },
);

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
  }
}

const queryValue = fc.oneof(
  fc.integer({ min: -5, max: 2_000_000 }).map(String),
  fc.constantFrom(
    '1',
    '20',
    '100',
    '101',
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    ' 1',
    '',
    'NaN',
    'Infinity',
    '99999999999999999999',
    'REQUIRE_ACTION',
    'PAID',
    'EXPIRED',
    'INACTIVE',
    'paid',
    'x'.repeat(101),
  ),
  nastyStrings,
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const queryString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('page', 'perPage', 'clientReferenceId', 'status', 'page[]', 'status[0]', '__proto__', 'constructor'),
            fc.string({ maxLength: 8 }),
          ),
          queryValue,
          fc.boolean(),
        ),
        { maxLength: 6 },
      )
      .map((pairs) =>
        pairs
          .map(([k, v, encodeIt]) =>
            encodeIt ? `${safeEncode(k)}=${safeEncode(v)}` : `${safeEncode(k)}=${safeEncode(v).replace(/%25/g, '%')}`,
          )
          .join('&'),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '&&&',
      '=',
      '==&=',
      '%',
      '%E0%A4%A',
      'page',
      'page=',
      'page=1&page=2',
      'status=PAID&status=EXPIRED',
      'a[b][c]=d',
      '?',
      '#frag',
      'perPage=100&page=1000000',
    ),
  },
);

// ---------- the suite ----------

describe.each(DB_KINDS)('fuzz: nothing answers 5xx for a client mistake (%s)', (kind) => {
  let h: Harness;
  let other: { token: string; sessionId: string };
  let poolId: string;
  let multipleIds: string[];
  let expiredToken: string;
  let foreignToken: string;
  let pageToken: string;
  let fixedKey: string;
  /** The merchant's BNI prefix: requested numbers behind it + '0' are its own to ask for. */
  let bniPrefix: string;
  const successes: Record<string, number> = {};
  const count = (name: string, res: Res) => {
    if (res.status === 200) successes[name] = (successes[name] ?? 0) + 1;
  };

  const createVia = async (body: unknown, token = h.token) => {
    const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId(), authorization: `Bearer ${token}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.id as string;
  };
  const multipleBody = () => multipleQrBody();
  const confirmLaterWithMethod = () =>
    seedConfirmLaterBody({
      paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
      paymentMethodOptions: { virtualAccount: { channel: 'BCA' } },
    });

  async function resolveId(choice: IdChoice): Promise<string> {
    if (typeof choice === 'object') return 'raw' in choice ? choice.raw : safeEncode(choice.encoded);
    switch (choice) {
      case 'requireAction':
        return createVia(seedAutoConfirmBody());
      case 'requireConfirmation':
        return createVia(confirmLaterWithMethod());
      case 'requirePaymentMethod':
        return createVia(seedConfirmLaterBody());
      case 'multiple':
        return multipleIds[0]!;
      case 'pool':
        return poolId;
      case 'otherMerchant':
        return other.sessionId;
      case 'uuid':
        return randomUUID();
    }
  }

  function headersFor(spec: HeaderSpec, contentType: string | undefined, withRequestId: boolean): Record<string, string> {
    const headers: Record<string, string> = { ...spec.extra };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const auth = spec.auth;
    if (typeof auth === 'object') headers.authorization = auth.garbage;
    else if (auth === 'valid') headers.authorization = `Bearer ${h.token}`;
    else if (auth === 'other') headers.authorization = `Bearer ${other.token}`;
    else if (auth === 'expired') headers.authorization = `Bearer ${expiredToken}`;
    else if (auth === 'foreignKey') headers.authorization = `Bearer ${foreignToken}`;
    else if (auth === 'pageToken') headers.authorization = `Bearer ${pageToken}`;
    if (withRequestId) {
      const key = spec.requestId;
      if (typeof key === 'object') headers['x-request-id'] = key.garbage;
      else if (key === 'fresh') headers['x-request-id'] = requestId();
      else if (key === 'fixed') headers['x-request-id'] = fixedKey;
    }
    return headers;
  }

  beforeAll(async () => {
    h = await makeHarness(kind);
    const o = await h.otherMerchant();
    other = { token: o.token, sessionId: await createVia(seedAutoConfirmBody(), o.token) };
    poolId = await createVia(seedConfirmLaterBody());
    multipleIds = [await createVia(multipleBody())];
    expiredToken = await h.tokens.issueAccessToken(h.merchant.id, new Date(Date.now() - 3600_000));
    foreignToken = await new Tokens('f'.repeat(64)).issueAccessToken(h.merchant.id, new Date());
    pageToken = await h.tokens.issuePageToken(poolId, new Date(Date.now() + 3600_000), new Date());
    fixedKey = requestId();
    bniPrefix = (await vaRange(h.store.db, h.merchant.id, 'BNI')).prefix;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('POST /v1/access-token', async () => {
    const credential = (valid: () => string) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant<string | undefined>(undefined) },
        { weight: 2, arbitrary: fc.constant('valid').map(() => valid()) },
        { weight: 3, arbitrary: headerText(120) },
        { weight: 1, arbitrary: fc.constantFrom('x'.repeat(201), 'y'.repeat(501), ' ', "' OR 1=1 --") },
      );
    await fc.assert(
      fc.asyncProperty(
        mutations,
        encoding,
        credential(() => h.merchant.id),
        credential(() => h.merchantSecret),
        extraHeaders,
        async (muts, enc, id, secret, extra) => {
          const { payload, contentType } = encode(applyMutations({ grantType: 'client_credentials' }, muts), enc);
          const headers: Record<string, string> = { ...extra };
          if (contentType !== undefined) headers['content-type'] = contentType;
          if (id !== undefined) headers['x-merchant-id'] = id;
          if (secret !== undefined) headers['x-merchant-secret'] = secret;
          const req: Req = { method: 'POST', url: '/v1/access-token', headers, payload };
          const res = await send(h, req);
          checkContract(req, res);
          count('access-token', res);
          if (res.status === 200) {
            expect(res.body.data.tokenType).toBe('Bearer');
            expect(id).toBe(h.merchant.id);
            expect(secret).toBe(h.merchantSecret);
          }
        },
      ),
      // The untouched request is always tried too, so the success path is covered on every database.
      {
        ...params(runsFor(kind, 400)),
        examples: [[[], { kind: 'json', contentType: 'application/json' }, h.merchant.id, h.merchantSecret, {}]],
      },
    );
  });

  it('POST /v2/payments', async () => {
    const seeds = [
      () => seedAutoConfirmBody(),
      () => seedConfirmLaterBody(),
      () => confirmLaterWithMethod(),
      () => multipleBody(),
      () =>
        seedAutoConfirmBody({
          amount: { value: 50_000, currency: 'IDR' },
          paymentMethod: { type: 'QR' },
          paymentMethodOptions: { qr: { expiryAt: new Date(Date.now() + 1800_000).toISOString() } },
          expiryAt: new Date(Date.now() + 1800_000).toISOString(),
        }),
      () => ({
        clientReferenceId: uniqueReference(),
        amount: { value: 10_000, currency: 'IDR' },
        redirectUrl: {},
        mode: 'API',
        paymentMethod: {
          type: 'VIRTUAL_ACCOUNT',
          paymentMethodOptions: {
            virtualAccount: {
              channel: 'BNI',
              virtualAccountNumber: `${bniPrefix}0${String(Date.now() % 1e6).padStart(6, '0')}`,
              expiryAt: inOneHour(),
            },
          },
        },
      }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), mutations, encoding, headerSpec, async (seedIndex, muts, enc, spec) => {
        const { payload, contentType } = encode(applyMutations(seeds[seedIndex]!(), muts), enc);
        const req: Req = { method: 'POST', url: '/v2/payments', headers: headersFor(spec, contentType, true), payload };
        const res = await send(h, req);
        checkContract(req, res);
        count('create', res);
        if (res.status === 200) {
          expect(res.body.data.id).toMatch(/^[0-9a-f-]{36}$/);
          expect(res.body.data.status).toMatch(/^(REQUIRE_PAYMENT_METHOD|REQUIRE_CONFIRMATION|REQUIRE_ACTION|ACTIVE)$/);
        }
      }),
      params(runsFor(kind, 1500)),
    );
  });

  it('GET /v2/payments with random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, headerSpec, encoding, mutations, async (qs, spec, enc, muts) => {
        // A GET may even carry a body; it must not matter.
        const withBody = enc.kind !== 'json' || muts.length > 2;
        const { payload, contentType } = withBody ? encode(applyMutations({ page: 1 }, muts), enc) : {};
        const req: Req = {
          method: 'GET',
          url: `/v2/payments${qs ? `?${qs}` : ''}`,
          headers: headersFor(spec, contentType, false),
          payload,
        };
        const res = await send(h, req);
        checkContract(req, res);
        count('list', res);
        if (res.status === 200) {
          expect(Array.isArray(res.body.data)).toBe(true);
          expect(res.body.pagination).toBeTypeOf('object');
        }
      }),
      params(runsFor(kind, 800)),
    );
  });

  it('GET /v2/payments/{id}', async () => {
    await fc.assert(
      fc.asyncProperty(idChoice, headerSpec, queryString, async (choice, spec, qs) => {
        const id = await resolveId(choice);
        const req: Req = {
          method: 'GET',
          url: `/v2/payments/${id}${qs ? `?${qs}` : ''}`,
          headers: headersFor(spec, undefined, false),
        };
        const res = await send(h, req);
        checkContract(req, res);
        count('get', res);
        // Another merchant's session is "not found" — unless a NUL in the query string is refused first.
        if (choice === 'otherMerchant' && spec.auth === 'valid') {
          if (qs.includes('%00')) expect([400, 404]).toContain(res.status);
          else expect(res.status).toBe(404);
        }
      }),
      params(runsFor(kind, 700)),
    );
  });

  it('POST /v2/payments/{id}/confirm', async () => {
    const seeds = [
      () => seedConfirmBody(),
      () => seedConfirmBody({ paymentMethodOptions: { virtualAccount: { channel: 'BRI', expiryAt: inOneHour() } } }),
      () => ({ paymentMethod: { type: 'QR' } }),
      () => ({ paymentMethod: { type: 'VIRTUAL_ACCOUNT', paymentMethodOptions: { virtualAccount: { channel: 'MANDIRI' } } } }),
      () => ({}),
    ];
    await fc.assert(
      fc.asyncProperty(
        idChoice,
        fc.nat({ max: seeds.length - 1 }),
        mutations,
        encoding,
        headerSpec,
        async (choice, seedIndex, muts, enc, spec) => {
          const id = await resolveId(choice);
          const { payload, contentType } = encode(applyMutations(seeds[seedIndex]!(), muts), enc);
          const req: Req = {
            method: 'POST',
            url: `/v2/payments/${id}/confirm`,
            headers: headersFor(spec, contentType, false),
            payload,
          };
          const res = await send(h, req);
          checkContract(req, res);
          count('confirm', res);
          if (res.status === 200) expect(res.body.data.status).toBe('REQUIRE_ACTION');
        },
      ),
      params(runsFor(kind, 700)),
    );
  });

  it('POST /v2/payments/{id}/cancel', async () => {
    await fc.assert(
      fc.asyncProperty(
        idChoice,
        fc.constantFrom('REQUESTED_BY_CUSTOMER', 'DUPLICATED', 'VOID_SESSION', 'CHARGE_FAILED', 'FRAUDULENT'),
        mutations,
        encoding,
        headerSpec,
        async (choice, reason, muts, enc, spec) => {
          const id = await resolveId(choice);
          const { payload, contentType } = encode(applyMutations({ cancellationReason: reason }, muts), enc);
          const req: Req = {
            method: 'POST',
            url: `/v2/payments/${id}/cancel`,
            headers: headersFor(spec, contentType, false),
            payload,
          };
          const res = await send(h, req);
          checkContract(req, res);
          count('cancel', res);
          if (res.status === 200) {
            expect(res.body.data.status).toBe('CANCELLED');
            expect(['REQUESTED_BY_CUSTOMER', 'DUPLICATED', 'VOID_SESSION']).toContain(res.body.data.cancellationReason);
          }
        },
      ),
      params(runsFor(kind, 700)),
    );
  });

  it('GET /v2/payment-method-configs', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, headerSpec, encoding, mutations, async (qs, spec, enc, muts) => {
        const withBody = muts.length > 0;
        const { payload, contentType } = withBody ? encode(applyMutations({}, muts), enc) : {};
        const req: Req = {
          method: 'GET',
          url: `/v2/payment-method-configs${qs ? `?${qs}` : ''}`,
          headers: headersFor(spec, contentType, false),
          payload,
        };
        const res = await send(h, req);
        checkContract(req, res);
        count('configs', res);
        if (res.status === 200) expect(res.body.data.virtualAccount.enabled).toBe(true);
      }),
      params(runsFor(kind, 500)),
    );
  });

  it('POST /v2/payments/simulations', async () => {
    const rawId = (choice: IdChoice, id: string) =>
      // The body carries the id as JSON, so garbage ids go in undecoded.
      typeof choice === 'object' ? ('raw' in choice ? choice.raw : choice.encoded) : id;
    await fc.assert(
      fc.asyncProperty(
        idChoice,
        fc.constantFrom('SUCCESS', 'EXPIRED', 'FAILED'),
        fc.oneof(fc.constant(undefined), fc.constantFrom(10_000, 1_000, 50_000, 0, 9_999_999_999)),
        mutations,
        encoding,
        headerSpec,
        async (choice, chargeStatus, amountValue, muts, enc, spec) => {
          const id = rawId(choice, await resolveId(choice));
          const seed = {
            paymentSessionId: id,
            chargeStatus,
            ...(amountValue !== undefined && { amount: { value: amountValue, currency: 'IDR' } }),
          };
          const { payload, contentType } = encode(applyMutations(seed, muts), enc);
          const req: Req = {
            method: 'POST',
            url: '/v2/payments/simulations',
            headers: headersFor(spec, contentType, false),
            payload,
          };
          const res = await send(h, req);
          checkContract(req, res);
          count('simulate', res);
          if (res.status === 200) expect(res.body.data.updated).toBe(true);
        },
      ),
      params(runsFor(kind, 1000)),
    );
  });

  it('POST /v1/refunds and GET /v1/refunds with mutated bodies and random query strings', async () => {
    const paid = await createVia(seedAutoConfirmBody({ amount: { value: 1_000_000, currency: 'IDR' } }));
    expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paid, chargeStatus: 'SUCCESS' })).status).toBe(
      200,
    );
    const refundSeeds = [
      () => ({
        clientReferenceId: uniqueReference(),
        paymentSessionId: paid,
        amount: { value: '1000', currency: 'IDR' },
        reason: 'REQUESTED_BY_CUSTOMER',
      }),
      () => ({
        clientReferenceId: `2001-${uniqueReference()}`,
        paymentSessionId: paid,
        amount: { value: 500, currency: 'IDR' },
        reason: 'OTHERS',
        method: 'TRANSFER_ONLY',
        transferDestination: { channelCode: 'BCA', channelInformation: { accountNumber: '999966660008', accountName: 'A' } },
        metadata: { a: [1, { b: null }] },
      }),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: refundSeeds.length - 1 }),
        mutations,
        encoding,
        headerSpec,
        async (seedIndex, muts, enc, spec) => {
          const { payload, contentType } = encode(applyMutations(refundSeeds[seedIndex]!(), muts), enc);
          const req: Req = { method: 'POST', url: '/v1/refunds', headers: headersFor(spec, contentType, true), payload };
          const res = await send(h, req);
          checkContract(req, res);
          count('refund', res);
          if (res.status === 200) expect(res.body.data.status).toBe('PENDING');
        },
      ),
      params(runsFor(kind, 600)),
    );
    await fc.assert(
      fc.asyncProperty(queryString, headerSpec, async (qs, spec) => {
        const req: Req = { method: 'GET', url: `/v1/refunds${qs ? `?${qs}` : ''}`, headers: headersFor(spec, undefined, false) };
        const res = await send(h, req);
        checkContract(req, res);
        count('refunds', res);
      }),
      params(runsFor(kind, 300)),
    );
    // Whatever got through, the refunds of the payment never passed what it paid.
    const listed = await h.api('GET', `/v1/refunds?paymentSessionId=${paid}&perPage=100`);
    const held = listed.body.data
      .filter((r: any) => r.status !== 'FAILED')
      .reduce((sum: number, r: any) => sum + Number(r.amount.value), 0);
    expect(held).toBeLessThanOrEqual(1_000_000);
  });

  // Deterministic replays of what the fuzz found, so each stays fixed whatever the random seed.
  describe('regressions found by the fuzz', () => {
    const json = { 'content-type': 'application/json' };
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const expectClean4xx = (res: { status: number; body: any }, status: number, code: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.error).toMatchObject({
        type: 'API_ERROR',
        source: 'UPSTREAM',
        details: expect.any(Array),
        traceId: expect.any(String),
      });
    };

    it('a NUL byte in a session id, a reference or a filter is a 400 naming the field, never a database error', async () => {
      const refused = (res: { status: number; body: any }, field: string) => {
        expectClean4xx(res, 400, 'api_validation_error');
        expect(res.body.error.details).toContainEqual({ field, message: expect.stringMatching(/NUL/) });
      };
      refused(await h.api('GET', '/v2/payments/abc%00def'), 'id');
      refused(await h.api('POST', '/v2/payments/abc%00def/confirm', seedConfirmBody()), 'id');
      refused(await h.api('POST', '/v2/payments/abc%00def/cancel', { cancellationReason: 'VOID_SESSION' }), 'id');
      refused(
        await h.api('POST', '/v2/payments/simulations', { paymentSessionId: 'a\u0000b', chargeStatus: 'SUCCESS' }),
        'paymentSessionId',
      );
      refused(await h.api('GET', '/v2/payments?clientReferenceId=a%00b'), 'clientReferenceId');
    });

    it('a leap-second timestamp (hh:mm:60, valid RFC 3339) is read as the next second', async () => {
      const day = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
      const laterBody = seedConfirmLaterBody({ expiryAt: `${day}T23:59:60Z` });
      const later = await h.api('POST', '/v2/payments', laterBody, { 'x-request-id': requestId() });
      expect(later.status, JSON.stringify(later.body)).toBe(200);
      expect(Date.parse(later.body.data.expiryAt)).toBe(Date.parse(`${day}T23:59:59Z`) + 1000);
      // A leap second is only valid at 23:59 UTC.
      const auto = seedAutoConfirmBody({ expiryAt: new Date(Date.parse(`${day}T23:59:59Z`) + 3600_000).toISOString() });
      (auto.paymentMethodOptions as any).virtualAccount.expiryAt = `${day}T23:59:60.5Z`;
      const res = await h.api('POST', '/v2/payments', auto, { 'x-request-id': requestId() });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(Date.parse(res.body.data.chargeDetails[0].virtualAccount.expiryAt)).toBe(Date.parse(`${day}T23:59:59.5Z`) + 1000);
    });

    it('absurdly deep JSON in a create body is a 400, not a stack overflow', async () => {
      const body = JSON.stringify(seedConfirmLaterBody({ metadata: { x: '@@DEEP5000@@' } }));
      const res = await h.api('POST', '/v2/payments', expandDeep(body), { ...json, 'x-request-id': requestId() });
      expectClean4xx(res, 400, 'api_validation_error');
      expect(res.body.error.details).toEqual([{ field: 'body', message: expect.stringContaining('nested') }]);
      // Ordinary nesting in free-form metadata is still fine.
      let nested: unknown = 'leaf';
      for (let i = 0; i < 20; i++) nested = { n: nested };
      const ok = await h.api('POST', '/v2/payments', seedConfirmLaterBody({ metadata: { nested } }), {
        'x-request-id': requestId(),
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    });

    it('extra properties on a simulated amount are not stored on the charge', async () => {
      const id = await createVia(multipleBody());
      const payload = `{"paymentSessionId":"${id}","chargeStatus":"SUCCESS","amount":{"value":25000,"currency":"IDR","junk":${deep(5000)},"note":"x"}}`;
      const sim = await h.api('POST', '/v2/payments/simulations', payload, json);
      expect(sim.status, JSON.stringify(sim.body)).toBe(200);
      const got = await h.api('GET', `/v2/payments/${id}`);
      expect(got.body.data.chargeDetails.at(-1).amount).toEqual({ value: 25000, currency: 'IDR' });
      const rows = await h.store.db.selectFrom('charges').select('details').where('session_id', '=', id).execute();
      expect(rows.map((r) => r.details).join()).not.toContain('junk');
    });

    it('router-level URL errors carry the error envelope too', async () => {
      expectClean4xx(await h.api('GET', '/v2/payments/%E0%A4%A'), 400, 'api_validation_error');
      expectClean4xx(
        await h.api('POST', '/v2/payments/%/cancel', { cancellationReason: 'VOID_SESSION' }),
        400,
        'api_validation_error',
      );
      const long = await h.api('GET', `/v2/payments/${'x'.repeat(101)}`);
      expect(long.status).toBeGreaterThanOrEqual(400);
      expect(long.status).toBeLessThan(500);
      expect(long.body.error).toMatchObject({ type: 'API_ERROR', details: [], traceId: expect.any(String) });
    });
  });

  it('the unmutated seeds did succeed (the fuzz reached the handlers, not only validation)', () => {
    for (const name of ['access-token', 'create', 'list', 'get', 'confirm', 'cancel', 'configs', 'simulate']) {
      expect(successes[name] ?? 0, `${name} never answered 200`).toBeGreaterThan(0);
    }
  });
});
