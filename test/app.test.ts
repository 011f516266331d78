// What the app writes to its log: every request is logged, and no credential is, whichever route it rode
// in on (the page token in the payment page's query string, a bearer token, a client secret).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConfirmLaterBody } from './helpers/bodies.ts';
import { DB_KINDS, makeHarness, type Harness } from './helpers/harness.ts';
import { createSession, postForm } from './page/helpers.ts';

describe.each(DB_KINDS)('log lines on %s', (kind) => {
  const lines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind, {
      publicUrl: 'http://kasir.test',
      logStream: { write: (line) => void lines.push(line) },
      logLevel: 'trace',
    });
  });
  afterAll(async () => h.close());

  it('carry no page token, access token, client secret or Authorization header', async () => {
    const session = await createSession(h, seedConfirmLaterBody());
    const exchanged = await h.app.inject({
      method: 'POST',
      url: '/v1/access-token',
      headers: { 'x-merchant-id': h.merchant.id, 'x-merchant-secret': h.merchantSecret },
      payload: { grantType: 'client_credentials' },
    });
    const accessToken: string = exchanged.json().data.accessToken;
    for (const url of [
      session.path,
      `/detail/status?token=${session.token}`,
      `/detail/qr.png?lang=en&token=${session.token}`,
      `/detail?TOKEN=${session.token}`,
      `/detail?to%6Ben=${session.token}`,
    ]) {
      await h.app.inject({ method: 'GET', url });
    }
    await postForm(h, '/detail/choose', { token: session.token, method: 'VIRTUAL_ACCOUNT:BCA' });
    await h.api('GET', '/v2/payments', undefined, { authorization: `Bearer ${accessToken}` });
    await h.api('GET', '/v2/nowhere', undefined, { authorization: `Bearer ${accessToken}` });

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [session.token, accessToken, h.token, h.merchantSecret]) expect(log).not.toContain(secret);
    // Each part of a token would do as well: its signature or payload must not leak either.
    for (const part of [...session.token.split('.'), ...accessToken.split('.').slice(1)]) expect(log).not.toContain(part);

    const urls = lines.map((line) => JSON.parse(line)).flatMap((entry) => (entry.req?.url ? [entry.req.url] : []));
    expect(urls).toContain('/detail?token=[REDACTED]');
    expect(urls).toContain('/detail/qr.png?lang=en&token=[REDACTED]');
    expect(urls).toContain('/v2/payments');
  });

  it('censor credentials in headers or token answers that code logs on purpose', () => {
    lines.length = 0;
    const headers = { authorization: 'Bearer secret-bearer', 'x-merchant-secret': 'secret-client', 'x-merchant-id': 'm-1' };
    h.app.log.warn({ headers }, 'rejected');
    h.app.log.warn({ req: { headers } }, 'rejected');
    h.app.log.warn({ data: { accessToken: 'secret-token' }, clientSecret: 'secret-printed' }, 'answered');
    const log = lines.join('');
    expect(log).not.toMatch(/secret-(bearer|client|token|printed)/);
    expect(log).toContain('m-1');
    expect(log).toContain('[REDACTED]');
  });
});
