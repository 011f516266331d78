// Sessions for the dashboard suites, made through the API on the harness clock (expiries relative to it,
// so the clock can move days without the sessions expiring under the test).
import { expect } from 'vitest';
import { ewalletBody, multipleQrBody, seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';
import { requestId, type Harness } from '../../helpers/harness.ts';

export type Kind = 'va' | 'qr' | 'ewallet' | 'later' | 'multiple';

/** A body of `kind` whose expiry is an hour (an e-wallet's: 20 minutes) after the harness clock's now. */
export function bodyOf(h: Harness, kind: Kind, overrides: Record<string, unknown> = {}, channel = 'PERMATA') {
  const expiryAt = new Date(h.clock.now().getTime() + 3600_000).toISOString();
  switch (kind) {
    case 'va':
      return seedAutoConfirmBody({
        expiryAt,
        paymentMethodOptions: { virtualAccount: { channel, virtualAccountName: 'Reforza Pivot', expiryAt } },
        ...overrides,
      });
    case 'qr':
      return seedAutoConfirmBody({ expiryAt, paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} }, ...overrides });
    case 'ewallet':
      // DANA allows 30 minutes at most.
      return ewalletBody(channel, { expiryAt: new Date(h.clock.now().getTime() + 1200_000).toISOString(), ...overrides });
    case 'later':
      return seedConfirmLaterBody({ expiryAt, ...overrides });
    case 'multiple':
      return multipleQrBody(overrides);
  }
}

export async function create(h: Harness, body: Record<string, unknown>, token?: string): Promise<string> {
  const res = await h.api('POST', '/v2/payments', body, {
    'x-request-id': requestId(),
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.id;
}

/** Pays the session in the sandbox; `amount` for an open-amount (MULTIPLE) QR. */
export async function pay(h: Harness, id: string, options: { token?: string; amount?: number } = {}): Promise<void> {
  const res = await h.api(
    'POST',
    '/v2/payments/simulations',
    {
      paymentSessionId: id,
      chargeStatus: 'SUCCESS',
      ...(options.amount !== undefined && { amount: { value: options.amount, currency: 'IDR' } }),
    },
    options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {},
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function cancel(h: Harness, id: string): Promise<void> {
  const res = await h.api('POST', `/v2/payments/${id}/cancel`, { cancellationReason: 'DUPLICATED' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
