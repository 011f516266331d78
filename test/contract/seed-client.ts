// A merchant's program written against the client generated from Kasir's /openapi.json (openapi-typescript
// types in packages/sdk/src/generated/openapi.ts + openapi-fetch): it runs the integration guide's two seed
// flows with no casts, so `tsc` proves the contract carries everything a merchant needs to write them.
// test/contract/typed-client.test.ts type-checks it against freshly generated types and runs it.
import { randomBytes } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from '../../packages/sdk/src/generated/openapi.ts';

type CreatePaymentRequest = components['schemas']['CreatePaymentRequest'];
type PaymentSession = components['schemas']['PaymentSession'];

export interface SeedFlowResult {
  /** autoConfirm true: status after create, the VA number issued, status after a simulated payment. */
  early: { created: PaymentSession['status']; virtualAccountNumber: string | null; paid: PaymentSession['status'] };
  /** autoConfirm false: status after create, after confirm, after a simulated payment. */
  later: { created: PaymentSession['status']; confirmed: PaymentSession['status']; paid: PaymentSession['status'] };
}

const idempotencyKey = () => randomBytes(16).toString('hex');
const inOneHour = () => new Date(Date.now() + 3600_000).toISOString();

const customer = {
  givenName: 'Reforza Jordan',
  sureName: 'Geotama',
  email: 'reforza@pivot-payment.com',
  phoneNumber: { countryCode: '+62', number: '89699990001' },
};

const redirectUrl = {
  successReturnUrl: 'https://merchant.com/success',
  failureReturnUrl: 'https://merchant.com/failure',
  expirationReturnUrl: 'https://merchant.com/expiration',
};

/** The guide's "Finalize Payment Method early" body (test/helpers/bodies.ts#seedAutoConfirmBody). */
export function finalizeEarly(clientReferenceId: string): CreatePaymentRequest {
  const expiryAt = inOneHour();
  return {
    clientReferenceId,
    amount: { value: 10000, currency: 'IDR' },
    paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
    paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot', expiryAt } },
    mode: 'REDIRECT',
    redirectUrl,
    customer,
    orderInformation: {
      productDetails: [
        {
          type: 'PHYSICAL',
          category: 'FASHION',
          name: 'Dress Kasual Warna Putih',
          quantity: 1,
          price: { value: 100000, currency: 'IDR' },
        },
      ],
    },
    autoConfirm: true,
    statementDescriptor: 'Reforza Pivot',
    expiryAt,
    metadata: { invoiceNo: 'INV001' },
  };
}

/** The guide's "Finalize Payment Method later" body (test/helpers/bodies.ts#seedConfirmLaterBody). */
export function finalizeLater(clientReferenceId: string): CreatePaymentRequest {
  return {
    clientReferenceId,
    amount: { value: 10000, currency: 'IDR' },
    mode: 'REDIRECT',
    redirectUrl,
    customer,
    autoConfirm: false,
    statementDescriptor: 'Reforza Pivot',
    expiryAt: inOneHour(),
    metadata: { invoiceNo: 'INV001' },
  };
}

/** Every answer is either data or a typed error envelope; a merchant program stops on the latter. */
function ok<T>(result: { data?: T; error?: { code?: string; message: string } }, what: string): T {
  if (result.data === undefined) throw new Error(`${what}: ${result.error?.code ?? 'no body'} ${result.error?.message ?? ''}`);
  return result.data;
}

export async function runSeedFlows(
  baseUrl: string,
  credentials: { id: string; secret: string },
  reference: string,
): Promise<SeedFlowResult> {
  const anonymous = createClient<paths>({ baseUrl });
  const token = ok(
    await anonymous.POST('/v1/access-token', {
      params: { header: { 'x-merchant-id': credentials.id, 'x-merchant-secret': credentials.secret } },
      body: { grantType: 'client_credentials' },
    }),
    'access token',
  ).data;
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token.accessToken}` } });

  const pay = async (paymentSessionId: string) => {
    const simulated = ok(
      await client.POST('/v2/payments/simulations', { body: { paymentSessionId, chargeStatus: 'SUCCESS' } }),
      'simulate',
    );
    if (!simulated.data.updated) throw new Error('simulation did not update the session');
    return ok(await client.GET('/v2/payments/{id}', { params: { path: { id: paymentSessionId } } }), 'get').data.status;
  };

  const early = ok(
    await client.POST('/v2/payments', {
      params: { header: { 'x-request-id': idempotencyKey() } },
      body: finalizeEarly(`${reference}e`),
    }),
    'create (early)',
  ).data;
  const virtualAccountNumber = early.chargeDetails?.[0]?.virtualAccount?.virtualAccountNumber ?? null;
  const earlyPaid = await pay(early.id);

  const later = ok(
    await client.POST('/v2/payments', {
      params: { header: { 'x-request-id': idempotencyKey() } },
      body: finalizeLater(`${reference}l`),
    }),
    'create (later)',
  ).data;
  const confirmed = ok(
    await client.POST('/v2/payments/{id}/confirm', {
      params: { path: { id: later.id } },
      body: {
        paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
        paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot' } },
      },
    }),
    'confirm',
  ).data;
  const laterPaid = await pay(later.id);

  return {
    early: { created: early.status, virtualAccountNumber, paid: earlyPaid },
    later: { created: later.status, confirmed: confirmed.status, paid: laterPaid },
  };
}
