// Which callback URLs Kasir will call. Anywhere: absolute http(s). In production: https only, and only
// public addresses (an open door to the operator's internal network otherwise) unless
// KASIR_ALLOW_PRIVATE_CALLBACK_URLS says so. "Public" is an allow-list — global unicast as ipaddr.js
// classifies it — so every other range in every spelling is refused: loopback, private, link-local, CGNAT,
// documentation, benchmarking, multicast, reserved, and IPv4 wrapped in IPv6 (mapped, compatible, NAT64,
// 6to4, Teredo). Checked when a URL is stored (the literal address, or what the name resolves to), and
// again on every connection: the socket's lookup refuses a name that resolves to any non-public address
// and hands over only the addresses it checked, and the connector checks the peer it actually reached, so
// a name re-pointed after registration (DNS rebinding) is refused too.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import type { KasirEnv } from '../config.ts';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** dns.lookup's shape with `all: true`, the one the policy resolves with (tests pass their own resolver). */
export type Resolver = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface UrlPolicy {
  env: KasirEnv;
  allowPrivate: boolean;
  /** How names are resolved, at registration and on every connection; the system resolver by default. */
  resolve?: Resolver;
}

export class CallbackUrlRefused extends Error {
  readonly code = 'ECALLBACKURL';
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * A public unicast address (IPv4 in any spelling ipaddr.js reads — dotted, decimal, octal, hex — or IPv6).
 * Anything else, an unreadable string included, is not.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  let ip = ipaddr.parse(bare);
  if (ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress()) ip = ip.toIPv4Address();
  if (ip instanceof ipaddr.IPv4) return ip.range() === 'unicast';
  // Outside 2000::/3 nothing is assigned for global use (::/96 "IPv4-compatible" addresses among it).
  return ip.range() === 'unicast' && ip.match(GLOBAL_UNICAST_V6);
}

function restrictsPrivate(policy: UrlPolicy): boolean {
  return policy.env === 'production' && !policy.allowPrivate;
}

const NOT_PUBLIC =
  'must point at a public address in production, not a loopback, private, link-local, reserved or other special-use one (KASIR_ALLOW_PRIVATE_CALLBACK_URLS=true allows them)';

/** The URL's host without IPv6 brackets or the trailing dot of a fully qualified name. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Why this URL may not be a callback URL under the policy, or undefined. No network access. */
export function callbackUrlProblem(raw: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an absolute http(s) URL';
  if (raw.length > 2048) return 'must be at most 2048 characters long';
  if (policy.env === 'production' && url.protocol !== 'https:') return 'must use https in production';
  if (restrictsPrivate(policy)) {
    // The URL parser has already turned every IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1) into dotted form.
    const host = hostOf(url);
    if (host === 'localhost' || host.endsWith('.localhost')) return NOT_PUBLIC;
    if (isIP(host) && !isPublicAddress(host)) return NOT_PUBLIC;
  }
  return undefined;
}

function resolveAll(policy: UrlPolicy, hostname: string): Promise<LookupAddress[]> {
  const resolve: Resolver = policy.resolve ?? ((name, callback) => dnsLookup(name, { all: true }, callback));
  return new Promise((done, fail) => resolve(hostname, (error, addresses) => (error ? fail(error) : done(addresses))));
}

/**
 * The static check plus, in production, a DNS lookup: a name that resolves to any non-public address is
 * refused. A name that does not resolve yet is accepted; delivery checks again on every connection.
 */
export async function checkCallbackUrl(raw: string, policy: UrlPolicy): Promise<string | undefined> {
  const problem = callbackUrlProblem(raw, policy);
  if (problem || !restrictsPrivate(policy)) return problem;
  const host = hostOf(new URL(raw));
  if (isIP(host)) return undefined;
  const addresses = await resolveAll(policy, host).catch(() => []);
  if (addresses.some((a) => !isPublicAddress(a.address))) {
    return `resolves to an address that is not public; callback URLs in production must point at public addresses (KASIR_ALLOW_PRIVATE_CALLBACK_URLS=true allows them)`;
  }
  return undefined;
}

/** The policy as the port the merchant use cases take (`usecases/merchants.ts#CallbackUrlCheck`). */
export function callbackUrlCheck(policy: UrlPolicy): (url: string) => Promise<string | undefined> {
  return (url) => checkCallbackUrl(url, policy);
}

/**
 * A drop-in for dns.lookup on outgoing sockets: resolves, fails when any address is not public, and
 * otherwise hands the socket exactly the addresses it checked, so the connection goes nowhere else.
 */
export function guardedLookup(policy: UrlPolicy) {
  if (!restrictsPrivate(policy)) return undefined;
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    resolveAll(policy, hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = family ? found.filter((a) => a.family === family) : found;
        if (found.some((a) => !isPublicAddress(a.address))) {
          return callback(new CallbackUrlRefused(`${hostname} resolves to an address that is not public`), []);
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses;
        if (!first) return callback(Object.assign(new Error(`${hostname} resolved to no address`), { code: 'ENOTFOUND' }), []);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

/**
 * undici's connector with the guarded lookup, which also checks the peer the socket reached before the
 * request is written: the last word on "the address actually connected to", whatever path led there.
 */
export function guardedConnector(policy: UrlPolicy, options: { timeoutMs: number }): buildConnector.connector {
  const lookup = guardedLookup(policy);
  const connect = buildConnector({ timeout: options.timeoutMs, ...(lookup && { lookup }) });
  if (!restrictsPrivate(policy)) return connect;
  return (connectOptions, callback) =>
    connect(connectOptions, (error, socket) => {
      if (error) return callback(error, null);
      const peer = socket.remoteAddress;
      if (peer === undefined || !isPublicAddress(peer)) {
        socket.destroy();
        return callback(new CallbackUrlRefused(`${connectOptions.hostname} connected to ${peer}, which is not public`), null);
      }
      return callback(null, socket);
    });
}
