// Which callback URLs Kasir will call. Anywhere: absolute http(s). In production: https only, and no
// loopback/private/link-local destinations (an open door to the operator's internal network) unless
// KASIR_ALLOW_PRIVATE_CALLBACK_URLS says so. Checked when a URL is stored (literal addresses and a DNS
// lookup) and again on every connection (the lookup undici's sockets use), so a name that later
// resolves to a private address is still refused.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { KasirEnv } from '../config.ts';

export interface UrlPolicy {
  env: KasirEnv;
  allowPrivate: boolean;
}

export class CallbackUrlRefused extends Error {
  readonly code = 'ECALLBACKURL';
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, carrier-grade NAT, multicast or reserved (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
    if (mapped) return blocked.check(mapped, 'ipv4');
    return blocked.check(bare, 'ipv6');
  }
  return false;
}

function restrictsPrivate(policy: UrlPolicy): boolean {
  return policy.env === 'production' && !policy.allowPrivate;
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
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
      return 'must not point at a loopback or private address in production (KASIR_ALLOW_PRIVATE_CALLBACK_URLS=true allows it)';
    }
  }
  return undefined;
}

/**
 * The static check plus, in production, a DNS lookup: a name that resolves to a private address is
 * refused. A name that does not resolve yet is accepted; delivery checks again on every connection.
 */
export async function checkCallbackUrl(raw: string, policy: UrlPolicy): Promise<string | undefined> {
  const problem = callbackUrlProblem(raw, policy);
  if (problem || !restrictsPrivate(policy)) return problem;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return undefined;
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)),
  );
  if (addresses.some((a) => isPrivateAddress(a.address))) {
    return `resolves to a loopback or private address in production (KASIR_ALLOW_PRIVATE_CALLBACK_URLS=true allows it)`;
  }
  return undefined;
}

/** The policy as the port the merchant use cases take (`usecases/merchants.ts#CallbackUrlCheck`). */
export function callbackUrlCheck(policy: UrlPolicy): (url: string) => Promise<string | undefined> {
  return (url) => checkCallbackUrl(url, policy);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A drop-in for dns.lookup on outgoing sockets that fails when any resolved address is private. */
export function guardedLookup(policy: UrlPolicy) {
  if (!restrictsPrivate(policy)) return undefined;
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.some((a) => isPrivateAddress(a.address))) {
        return callback(new CallbackUrlRefused(`${hostname} resolves to a loopback or private address`), []);
      }
      if ((options as LookupAllOptions).all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new Error(`${hostname} resolved to no address`), []);
      return callback(null, first.address, first.family);
    });
  };
}
