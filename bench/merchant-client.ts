// What both benches do as a merchant: get a token, and build a fresh seed-shaped create body.
import { randomBytes } from 'node:crypto';

export interface MerchantCredentials {
  id: string;
  secret: string;
}

/** n letters and digits: valid as X-REQUEST-ID and inside a clientReferenceId. */
export const alnum = (n: number) => randomBytes(n).toString('base64url').replace(/[-_]/g, '').padEnd(n, '0').slice(0, n);

export async function accessToken(base: string, merchant: MerchantCredentials): Promise<string> {
  const res = await fetch(base + '/v1/access-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-merchant-id': merchant.id, 'x-merchant-secret': merchant.secret },
    body: JSON.stringify({ grantType: 'client_credentials' }),
  });
  const text = await res.text();
  const token = res.ok ? (JSON.parse(text) as { data?: { accessToken?: string } }).data?.accessToken : undefined;
  if (!token) throw new Error(`access-token failed: HTTP ${res.status} ${text}`);
  return token;
}

/** The integration guide's autoConfirm VA body with a fresh reference, expiring in an hour. */
export function paymentBody(referencePrefix = 'bench'): string {
  return JSON.stringify(paymentRequest(referencePrefix));
}

/** The same session paid by QRIS: its page shows a QR code and offers the PNG download. */
export function qrPaymentBody(referencePrefix = 'benchqr'): string {
  return JSON.stringify({ ...paymentRequest(referencePrefix), paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} } });
}

function paymentRequest(referencePrefix: string) {
  return {
    clientReferenceId: `${referencePrefix}${alnum(24)}`,
    amount: { value: 10000, currency: 'IDR' },
    paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
    paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot' } },
    mode: 'REDIRECT',
    redirectUrl: {
      successReturnUrl: 'https://merchant.com/success',
      failureReturnUrl: 'https://merchant.com/failure',
      expirationReturnUrl: 'https://merchant.com/expiration',
    },
    customer: {
      givenName: 'Reforza Jordan',
      sureName: 'Geotama',
      email: 'reforza@pivot-payment.com',
      phoneNumber: { countryCode: '+62', number: '89699990001' },
    },
    orderInformation: {
      productDetails: [
        {
          type: 'PHYSICAL',
          category: 'FASHION',
          name: 'Dress Kasual Warna Putih',
          quantity: 1,
          price: { value: 10000, currency: 'IDR' },
        },
      ],
    },
    autoConfirm: true,
    statementDescriptor: 'Reforza Pivot',
    expiryAt: new Date(Date.now() + 3_600_000).toISOString(),
    metadata: { invoiceNo: 'INV001' },
  };
}
