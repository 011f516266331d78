// Paid sessions to refund, and refund bodies as a merchant sends them (pivot-api §5.10).
import { expect } from 'vitest';
import { requestId, uniqueReference, type Harness } from './harness.ts';
import { multipleQrBody, seedAutoConfirmBody } from './bodies.ts';

/** A session paid through the seed flow (PERMATA VA, 10,000 IDR); overrides go to the create body. */
export async function paidSession(h: Harness, overrides: Record<string, unknown> = {}): Promise<any> {
  const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(overrides), { 'x-request-id': requestId() });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const paid = await h.api('POST', '/v2/payments/simulations', {
    paymentSessionId: created.body.data.id,
    chargeStatus: 'SUCCESS',
  });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return (await h.api('GET', `/v2/payments/${created.body.data.id}`)).body.data;
}

/** A dynamic QRIS session paid for `value` IDR: refunded through the channel. */
export async function paidQrSession(h: Harness, value = 10_000, overrides: Record<string, unknown> = {}): Promise<any> {
  return paidSession(h, {
    amount: { value, currency: 'IDR' },
    paymentMethod: { type: 'QR' },
    paymentMethodOptions: { qr: {} },
    ...overrides,
  });
}

/** A static QRIS (MULTIPLE) paid once per amount; returns the session as GET shows it and its paid charges' ids, oldest first. */
export async function paidMultipleQr(h: Harness, amounts: number[]): Promise<{ session: any; chargeIds: string[] }> {
  const created = await h.api('POST', '/v2/payments', multipleQrBody(), { 'x-request-id': requestId() });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const id = created.body.data.id;
  for (const value of amounts) {
    const paid = await h.api('POST', '/v2/payments/simulations', {
      paymentSessionId: id,
      chargeStatus: 'SUCCESS',
      amount: { value, currency: 'IDR' },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  }
  const charges = await h.api('GET', `/v2/charges?paymentSessionId=${id}&perPage=100`);
  // The first charge is the static QR itself (it made the session ACTIVE); each payment adds a SUCCESS one.
  const chargeIds = charges.body.data
    .filter((c: any) => c.status === 'SUCCESS')
    .map((c: any) => c.id)
    .reverse();
  return { session: (await h.api('GET', `/v2/payments/${id}`)).body.data, chargeIds };
}

export const DESTINATION = {
  channelCode: 'BCA',
  channelInformation: { accountNumber: '999966660001', accountName: 'Reforza Jordan Geotama' },
};

export function refundBody(target: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    clientReferenceId: uniqueReference(),
    ...target,
    amount: { value: '3000', currency: 'IDR' },
    reason: 'REQUESTED_BY_CUSTOMER',
    description: 'Barang rusak',
    metadata: { ticket: 'CS-1' },
    ...overrides,
  };
}

export function postRefund(h: Harness, body: unknown, headers: Record<string, string> = {}) {
  return h.api('POST', '/v1/refunds', body, { 'x-request-id': requestId(), ...headers });
}
