// Typed errors from real refusals of a listening Kasir: KasirApiError carries the status, the envelope's code,
// its details (one per bad field) and the traceId the server logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, uniqueReference } from '../helpers/harness.ts';
import { finalizeEarly, finalizeLater } from '../contract/seed-client.ts';
import { listeningKasir, sdk, type Rig } from './kasir.ts';

const { Kasir, KasirApiError, KasirNetworkError } = sdk;

async function refusal(call: Promise<unknown>): Promise<InstanceType<typeof KasirApiError>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KasirApiError)) throw new Error(`expected a KasirApiError, got ${String(error)}`);
  return error;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

describe.each(DB_KINDS)('typed errors from a listening Kasir (%s)', (kind) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await listeningKasir(kind);
  });
  afterAll(async () => rig.close());

  it('400: code api_validation_error and one detail per bad field', async () => {
    const body = {
      ...finalizeLater(uniqueReference()),
      amount: { value: -5, currency: 'IDR' as const },
      statementDescriptor: 'x'.repeat(500),
    };
    const error = await refusal(rig.kasir().payments.create(body, { requestId: 'sdkErrorTest000001' }));
    expect(error).toMatchObject({
      name: 'KasirApiError',
      status: 400,
      code: 'api_validation_error',
      type: 'API_ERROR',
      source: 'UPSTREAM',
    });
    expect(error.details.map((d) => d.field).sort()).toEqual(['amount.value', 'statementDescriptor']);
    expect(error.traceId).toMatch(TRACE_ID);
    expect(error.requestId).toBe('sdkErrorTest000001');
  });

  it('404: resource_missing', async () => {
    const error = await refusal(rig.kasir().refunds.get('00000000-0000-4000-8000-000000000000'));
    expect(error).toMatchObject({ status: 404, code: 'resource_missing', details: [] });
    expect(error.traceId).toMatch(TRACE_ID);
  });

  it('422: invalid_state, and 409: idempotency_error', async () => {
    const kasir = rig.kasir();
    const session = await kasir.payments.create(finalizeEarly(uniqueReference()), { requestId: 'sdkErrorTest000002' });
    await kasir.payments.simulate({ paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
    const late = await refusal(kasir.payments.cancel(session.id, { cancellationReason: 'DUPLICATED' }));
    expect(late).toMatchObject({ status: 422, code: 'invalid_state' });
    expect(late.traceId).toMatch(TRACE_ID);
    const reused = await refusal(kasir.payments.create(finalizeEarly(uniqueReference()), { requestId: 'sdkErrorTest000002' }));
    expect(reused).toMatchObject({ status: 409, code: 'idempotency_error' });
  });

  it('401: wrong credentials are an error of the first call, not a loop of exchanges', async () => {
    const kasir = rig.kasir({ merchantSecret: 'not-the-secret' });
    const error = await refusal(kasir.payments.list());
    expect(error).toMatchObject({ status: 401, code: 'credentials_invalid' });
  });

  it('no server: KasirNetworkError', async () => {
    const closed = new Kasir({ baseUrl: 'http://127.0.0.1:9', merchantId: 'm', merchantSecret: 's', maxRetries: 0 });
    await expect(closed.payments.list()).rejects.toBeInstanceOf(KasirNetworkError);
  });
});
