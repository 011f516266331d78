// Which callback URLs are accepted, at registration and on every connection.
import { describe, expect, it } from 'vitest';
import {
  CallbackUrlRefused,
  callbackUrlCheck,
  callbackUrlProblem,
  checkCallbackUrl,
  guardedLookup,
  guardedConnector,
  isPublicAddress,
  type Resolver,
} from '../../src/callbacks/url-policy.ts';
import { CallbackSender } from '../../src/callbacks/sender.ts';
import { CallbackUrlError, createMerchant, seedMerchant, setCallbackUrl } from '../../src/usecases/merchants.ts';
import { openTestStore } from '../helpers/harness.ts';
import { startReceiver, startSilentEndpoint } from './receiver.ts';

const production = { env: 'production' as const, allowPrivate: false };
const sandbox = { env: 'sandbox' as const, allowPrivate: false };

describe('callback URL policy', () => {
  it.each([
    '127.0.0.1',
    '127.8.0.1',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '2130706433',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '192.0.0.8',
    '192.0.2.1',
    '198.51.100.2',
    '203.0.113.9',
    '198.18.0.1',
    '240.0.0.1',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    '[::1]',
    'fe80::1',
    'fe80::1%eth0',
    'fec0::1',
    'fd00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '[::ffff:127.0.0.1]',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '::7f00:1',
    '::ffff:0:7f00:1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::a00:1',
    '2002:7f00:1::',
    '2001::1',
    '2001:db8::1',
    '4000::1',
    'not-an-address',
  ])('%s is not public', (ip) => expect(isPublicAddress(ip)).toBe(false));
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '93.184.215.14', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) =>
    expect(isPublicAddress(ip)).toBe(true),
  );

  it.each([
    'https://2130706433/cb',
    'https://0x7f.1/cb',
    'https://0177.0.0.1/cb',
    'https://127.1/cb',
    'https://[::ffff:127.0.0.1]/cb',
    'https://[::127.0.0.1]/cb',
    'https://[64:ff9b::7f00:1]/cb',
    'https://[fe80::1]/cb',
    'https://192.0.2.10/cb',
    'https://198.51.100.7/cb',
    'https://localhost./cb',
    'https://LOCALHOST/cb',
    'https://admin.localhost./cb',
  ])('in production refuses %s, however the address is spelled', (url) => {
    expect(callbackUrlProblem(url, production)).toMatch(/public address/);
    expect(callbackUrlProblem(url, sandbox)).toBeUndefined();
  });

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
      expect(callbackUrlProblem(url, production), url).toMatch(/public address/);
      expect(callbackUrlProblem(url, { env: 'production', allowPrivate: true }), url).toBeUndefined();
    }
    expect(callbackUrlProblem('http://10.0.0.8/cb', { env: 'production', allowPrivate: true })).toMatch(/https/);
  });

  it('in production a name that resolves to any non-public address is refused at registration', async () => {
    // "localhost" is also caught statically; a resolver check covers names like it that are not.
    expect(await checkCallbackUrl('https://localhost/cb', production)).toMatch(/public address/);
    const lookup = guardedLookup(production)!;
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', { all: true }, (e) => resolve(e)));
    expect(error?.message).toMatch(/not public/);
    const answering =
      (...addresses: string[]): Resolver =>
      (_name, callback) =>
        callback(
          null,
          addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
        );
    const policy = (...addresses: string[]) => ({ ...production, resolve: answering(...addresses) });
    expect(await checkCallbackUrl('https://shop.example/cb', policy('93.184.215.14', '192.0.2.1'))).toMatch(/not public/);
    expect(await checkCallbackUrl('https://shop.example/cb', policy('93.184.215.14', '64:ff9b::a00:1'))).toMatch(/not public/);
    expect(await checkCallbackUrl('https://shop.example/cb', policy('93.184.215.14', '2606:4700::1111'))).toBeUndefined();
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

  it('a name that passed at registration and now resolves to a private address (DNS rebinding) is not called', async () => {
    const receiver = await startReceiver();
    let lookups = 0;
    // The first answer (registration) is public; every later one (delivery) points at the receiver.
    const rebinding: Resolver = (_name, callback) =>
      callback(null, [lookups++ === 0 ? { address: '93.184.215.14', family: 4 } : { address: '127.0.0.1', family: 4 }]);
    const policy = { ...production, resolve: rebinding };
    const url = `https://rebind.example:${receiver.port}/kasir/callbacks`;
    const sender = new CallbackSender({ timeoutMs: 1000, policy });
    try {
      expect(await checkCallbackUrl(url, policy)).toBeUndefined();
      const result = await sender.send(
        { id: 'cb_1', url, apiKey: 'k', secrets: { current: 'whsec_' + Buffer.alloc(32).toString('base64') }, body: '{}' },
        new Date(),
      );
      expect(result).toMatchObject({ refused: true, httpStatus: null, error: expect.stringMatching(/not public/) });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await sender.close();
      await receiver.close();
    }
  });

  it('the connector checks the peer it reached before writing the request, whatever led there', async () => {
    const endpoint = await startSilentEndpoint();
    const { port } = new URL(endpoint.url);
    const connectTo = (policy: typeof production) =>
      new Promise<{ error: Error | null; socket: { destroy(): void } | null }>((resolve) =>
        guardedConnector(policy, { timeoutMs: 1000 })(
          { hostname: '127.0.0.1', host: `127.0.0.1:${port}`, protocol: 'http:', port },
          (error, socket) => resolve({ error, socket }),
        ),
      );
    try {
      // An address literal skips the lookup; the peer check still stops it (the static URL check is elsewhere).
      const refused = await connectTo(production);
      expect(refused.error).toBeInstanceOf(CallbackUrlRefused);
      expect(refused.error?.message).toMatch(/127\.0\.0\.1, which is not public/);
      const allowed = await connectTo({ env: 'production', allowPrivate: true });
      expect(allowed.error).toBeNull();
      allowed.socket?.destroy();
      expect(endpoint.requests()).toBe(0);
    } finally {
      await endpoint.close();
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
      ).rejects.toThrow(/public address/);
      await expect(createMerchant(store.db, { name: 'A', callbackUrl: 'ftp://x' })).rejects.toThrow(/absolute/);
      const ok = await createMerchant(
        store.db,
        { name: 'A', callbackUrl: 'https://93.184.215.14/cb' },
        new Date(),
        productionCheck,
      );
      expect(ok.merchant.callbackUrl).toBe('https://93.184.215.14/cb');
      await expect(
        seedMerchant(
          store.db,
          { id: 'seeded', secret: 'seed-secret-123456', callbackUrl: 'http://127.0.0.1:9/cb' },
          productionCheck,
        ),
      ).rejects.toThrow(CallbackUrlError);
      await expect(setCallbackUrl(store.db, ok.merchant.id, 'https://127.0.0.1/cb', productionCheck)).rejects.toThrow(
        /public address/,
      );
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
