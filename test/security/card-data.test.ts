// The card number and CVC are never stored, logged or sent in a callback (issue 9): pay with test cards
// through the page (frictionless, challenged, failed, mistyped) and the API (encrypted), send a card form
// as a GET by mistake, then search the SQLite file and its WAL, every log line and every callback body.
//
// A CVC is three digits, and any three digits occur somewhere in a binary database file, so the raw files
// are searched for the number (every spelling a shopper types) and for card field names; the CVC is looked
// for as a value: in every column of every row, every log line's fields and every callback body.
import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../helpers/cards.ts';
import { createSession, postForm } from '../page/helpers.ts';

const CVC = '737';
const PANS = ['4440000112200001', '5550000112220002', '4440000334470010', '4440000112200002', '3550000112280001'];
const spellings = (pan: string) => [pan, pan.replace(/(\d{4})(?=\d)/g, '$1 '), pan.replace(/(\d{4})(?=\d)/g, '$1-')];

/** Every string and number inside a JSON value, with the keys on the way. */
function walk(value: unknown, visit: (key: string, leaf: unknown) => void, key = ''): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, visit, k);
  else visit(key, value);
}

function expectNoCardData(what: string, json: unknown): void {
  walk(json, (key, leaf) => {
    expect(/^(cvc|cvv|cardNumber|number|pan)$/i.test(key) && key !== 'number', `${what}: key ${key}`).toBe(false);
    const text = String(leaf);
    for (const pan of PANS)
      for (const s of spellings(pan)) expect(text.includes(s), `${what}: ${key} holds a card number`).toBe(false);
    expect(text === CVC, `${what}: ${key} holds the CVC`).toBe(false);
  });
}

describe('card data never at rest, in logs or in callbacks', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await makeHarness('sqlite', {
      publicUrl: 'http://kasir.test',
      logStream: { write: (l) => void lines.push(l) },
      logLevel: 'info',
    });
  });
  afterAll(async () => h.close());

  it('pays by page and by API, then finds neither the number nor the CVC anywhere', async () => {
    const expiry = `12/${futureExpiry().expYear.slice(2)}`;
    const page = async (pan: string, otp?: string) => {
      const s = await createSession(h, cardSessionBody());
      await postForm(h, '/detail/card', { token: s.token, cardNumber: pan, expiry, cvc: CVC, holderName: 'Budi Santoso' });
      if (otp) await postForm(h, '/detail/acs', { token: s.token, otp });
      return s.id;
    };
    const paid = await page('4440 0001 1220 0001');
    const challenged = await page('5550000112220002', '000000');
    const failed = await page('4440-0003-3447-0010', '000000');
    await page('4440000112200002'); // refused by the Luhn check, re-rendered without the number
    // A card form sent as a GET lands in the request log's URL.
    await h.app.inject({ method: 'GET', url: `/detail/card?cardNumber=4440000112200001&cvc=${CVC}` });

    const api = (
      await h.api('POST', '/v2/payments', cardSessionBody({ mode: 'API', autoConfirm: false }), { 'x-request-id': requestId() })
    ).body.data;
    const encryptedCard = encryptCard(api.encryptionKey, { number: '3550000112280001', ...futureExpiry(), cvc: CVC });
    const confirmed = await h.api('POST', `/v2/payments/${api.id}/confirm`, {
      paymentMethod: { type: 'CARD', card: { encryptedCard } },
    });
    expect(confirmed.body.data.status).toBe('PAID');

    const statuses = await Promise.all(
      [paid, challenged, failed].map(async (id) => (await h.api('GET', `/v2/payments/${id}`)).body.data.status),
    );
    expect(statuses).toEqual(['PAID', 'PAID', 'CANCELLED']);

    // Callback bodies: the outbox rows hold the exact bodies merchants receive.
    const callbacks = await h.store.db.selectFrom('callbacks').select('payload').execute();
    expect(callbacks.length).toBeGreaterThanOrEqual(6);
    for (const c of callbacks) expectNoCardData('callback body', JSON.parse(c.payload));

    // Every column of every row.
    for (const table of ['payment_sessions', 'charges', 'callbacks', 'idempotency_keys', 'settings'] as const) {
      const rows = await h.store.db.selectFrom(table).selectAll().execute();
      expectNoCardData(`table ${table}`, rows);
    }

    // Every log line (the request lines carry URLs; errors carry messages).
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expectNoCardData('log line', JSON.parse(line));
    expect(lines.join('\n')).toContain('cardNumber=[REDACTED]');

    // The database files as they are on disk, WAL included.
    const path = h.store.databaseUrl.replace(/^file:/, '');
    const files = [path, `${path}-wal`].filter(existsSync);
    expect(files.length).toBe(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const pan of PANS) for (const s of spellings(pan)) expect(bytes.includes(s), `${file} holds ${s}`).toBe(false);
      for (const key of ['"cvc"', '"cvv"', 'cardNumber', 'encryptedCard"'])
        expect(bytes.includes(key), `${file} holds ${key}`).toBe(false);
    }
  });
});
