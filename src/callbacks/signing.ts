// Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"
// under the merchant's secret (whsec_ + base64 key bytes). During a rotation's overlap window both the
// new and the previous secret sign, space-separated, so receivers holding either one accept the call.
import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';

export interface SigningSecrets {
  current: string;
  previous?: { secret: string; until: Date } | null;
}

function keyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyBytes(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The secrets that sign at `now`: the current one, plus the previous one while its overlap lasts. */
export function activeSecrets(secrets: SigningSecrets, now: Date): string[] {
  const out = [secrets.current];
  const previous = secrets.previous;
  if (previous && previous.until.getTime() > now.getTime() && previous.secret !== secrets.current) out.push(previous.secret);
  return out;
}

export function webhookHeaders(
  secrets: SigningSecrets,
  id: string,
  now: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': activeSecrets(secrets, now)
      .map((secret) => sign(secret, id, timestamp, body))
      .join(' '),
  };
}
