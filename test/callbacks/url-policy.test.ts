// Which callback URLs are accepted, at registration and on every connection.
import { describe, expect, it } from 'vitest';
import {
  callbackUrlCheck,
  callbackUrlProblem,
  checkCallbackUrl,
  guardedLookup,
  isPrivateAddress,
} from '../../src/callbacks/url-policy.ts';
import { CallbackSender } from '../../src/callbacks/sender.ts';
import { CallbackUrlError, createMerchant, seedMerchant, setCallbackUrl } from '../../src/usecases/merchants.ts';
import { openTestStore } from '../helpers/harness.ts';
import { startReceiver } from './receiver.ts';

const production = { env: 'production' as const, allowPrivate: false };
const sandbox = { env: 'sandbox' as const, allowPrivate: false };

describe('callback URL policy', () => {
  it.each([
    '127.0.0.1',
    '127.8.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '203.0.113.9', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  it('needs an absolute http(s) URL everywhere', () => {
    for (const bad of ['/relative', 'ftp://x.example/cb', 'javascript:alert(1)', 'not a url', 'file:///etc/passwd']) {
      expect(callbackUrlProblem(bad, sandbox), bad).toMatch(/absolute http\(s\)/);
    }
    expect(callbackUrlProblem('http://127.0.0.1:9/cb', sandbox)).toBeUndefined();
    expect(callbackUrlProblem('https://shop.example/cb', sandbox)).toBeUndefined();
  });

  it('in production: https only, no loopback/private/localhost unless allowed', () => {
    expect(callbackUrlProblem('http://shop.example/cb', production)).toMatch(/https/);
    expect(callbackUrlProblem('https://shop.example/cb', production)).toBeUndefined();
    for (const url of [
      'https://127.0.0.1/cb',
      'https://10.0.0.8/cb',
      'https://[::1]/cb',
      'https://localhost/cb',
      'https://api.localhost/cb',
      'https://169.254.169.254/latest',
    ]) {
      expect(callbackUrlProblem(url, production), url).toMatch(/private/);
      expect(callbackUrlProblem(url, { env: 'production', allowPrivate: true }), url).toBeUndefined();
    }
    expect(callbackUrlProblem('http://10.0.0.8/cb', { env: 'production', allowPrivate: true })).toMatch(/https/);
  });

  it('in production a name that resolves to a private address is refused at registration', async () => {
    // "localhost" is also caught statically; a resolver check covers names like it that are not.
    expect(await checkCallbackUrl('https://localhost/cb', production)).toMatch(/private/);
    const lookup = guardedLookup(production)!;
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', { all: true }, (e) => resolve(e)));
    expect(error?.message).toMatch(/private/);
    expect(guardedLookup(sandbox)).toBeUndefined();
    expect(guardedLookup({ env: 'production', allowPrivate: true })).toBeUndefined();
  });

  it('at delivery, production refuses a private destination without calling it', async () => {
    const receiver = await startReceiver();
    const sender = new CallbackSender({ timeoutMs: 1000, policy: production });
    try {
      const result = await sender.send(
        {
          id: 'cb_1',
          url: receiver.url,
          apiKey: 'k',
          secrets: { current: 'whsec_' + Buffer.alloc(32).toString('base64') },
          body: '{}',
        },
        new Date(),
      );
      expect(result).toMatchObject({ refused: true, httpStatus: null });
      expect(receiver.received).toHaveLength(0);
      const allowed = new CallbackSender({ timeoutMs: 1000, policy: { env: 'production', allowPrivate: true } });
      // allowed, but http: still refused in production
      expect(
        (
          await allowed.send(
            { id: 'cb_1', url: receiver.url, apiKey: 'k', secrets: { current: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA' }, body: '{}' },
            new Date(),
          )
        ).refused,
      ).toBe(true);
      await allowed.close();
    } finally {
      await sender.close();
      await receiver.close();
    }
  });

  it('merchant creation, seeding and set-callback-url enforce the policy', async () => {
    const productionCheck = callbackUrlCheck(production);
    const store = await openTestStore('sqlite');
    try {
      await expect(
        createMerchant(store.db, { name: 'A', callbackUrl: 'http://shop.example/cb' }, new Date(), productionCheck),
      ).rejects.toThrow(CallbackUrlError);
      await expect(
        createMerchant(store.db, { name: 'A', callbackUrl: 'https://192.168.0.10/cb' }, new Date(), productionCheck),
      ).rejects.toThrow(/private/);
      await expect(createMerchant(store.db, { name: 'A', callbackUrl: 'ftp://x' })).rejects.toThrow(/absolute/);
      const ok = await createMerchant(
        store.db,
        { name: 'A', callbackUrl: 'https://203.0.113.9/cb' },
        new Date(),
        productionCheck,
      );
      expect(ok.merchant.callbackUrl).toBe('https://203.0.113.9/cb');
      await expect(
        seedMerchant(
          store.db,
          { id: 'seeded', secret: 'seed-secret-123456', callbackUrl: 'http://127.0.0.1:9/cb' },
          productionCheck,
        ),
      ).rejects.toThrow(CallbackUrlError);
      await expect(setCallbackUrl(store.db, ok.merchant.id, 'https://127.0.0.1/cb', productionCheck)).rejects.toThrow(/private/);
      const set = await setCallbackUrl(
        store.db,
        ok.merchant.id,
        'https://127.0.0.1/cb',
        callbackUrlCheck({ env: 'production', allowPrivate: true }),
      );
      expect(set.callbackUrl).toBe('https://127.0.0.1/cb');
    } finally {
      await store.destroy();
    }
  });
});
