// Request bodies from the integration guide (the seed), with a future expiry and a fresh reference.
import { uniqueReference } from './harness.ts';

export function inOneHour(now = new Date()): string {
  return new Date(now.getTime() + 3600_000).toISOString();
}

const customer = {
  givenName: 'Reforza Jordan',
  sureName: 'Geotama',
  email: 'reforza@pivot-payment.com',
  phoneNumber: { countryCode: '+62', number: '89699990001' },
  refundPreference: {
    method: 'AUTO',
    transferDestination: {
      channelCode: '014',
      channelInformation: { accountNumber: '17677665415', accountName: 'Reforza Jordan Geotama' },
    },
  },
};

const address = {
  givenName: 'Reforza Jordan',
  sureName: 'Geotama',
  email: 'reforza@pivot-payment.com',
  phoneNumber: { countryCode: '+62', number: '89699990001' },
  addressLine1: 'Biomedical Building Lantai 3',
  addressLine2: 'Digital hub, BSD City',
  city: 'Tangerang Regency',
  provinceState: 'Banten',
  country: 'ID',
  postalCode: '15331',
};

const orderInformation = {
  productDetails: [
    {
      type: 'PHYSICAL',
      category: 'FASHION',
      subCategory: 'FASHION WANITA',
      name: 'Dress Kasual Warna Putih',
      description: 'Ukuran M',
      quantity: 1,
      price: { value: 100000, currency: 'IDR' },
    },
  ],
  billingInfo: address,
  shippingInfo: { ...address, method: 'REGULAR', shippingFee: { value: 100000, currency: 'IDR' } },
};

const redirectUrl = {
  successReturnUrl: 'https://merchant.com/success',
  failureReturnUrl: 'https://merchant.com/failure',
  expirationReturnUrl: 'https://merchant.com/expiration',
};

/** The seed's "Finalize Payment Method early" body (autoConfirm: true, PERMATA VA). */
export function seedAutoConfirmBody(overrides: Record<string, unknown> = {}) {
  const expiryAt = inOneHour();
  return {
    clientReferenceId: uniqueReference(),
    amount: { value: 10000, currency: 'IDR' },
    paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
    paymentMethodOptions: {
      virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot', expiryAt },
    },
    mode: 'REDIRECT',
    redirectUrl,
    customer,
    orderInformation,
    autoConfirm: true,
    statementDescriptor: 'Reforza Pivot',
    expiryAt,
    metadata: { invoiceNo: 'INV001' },
    ...overrides,
  };
}

/** The seed's "Finalize Payment Method later" body (autoConfirm: false, no method). */
export function seedConfirmLaterBody(overrides: Record<string, unknown> = {}) {
  return {
    clientReferenceId: uniqueReference(),
    amount: { value: 10000, currency: 'IDR' },
    mode: 'REDIRECT',
    redirectUrl,
    customer,
    orderInformation,
    autoConfirm: false,
    statementDescriptor: 'Reforza Pivot',
    expiryAt: inOneHour(),
    metadata: { invoiceNo: 'INV001' },
    ...overrides,
  };
}

/** The seed's confirm body. */
export function seedConfirmBody(overrides: Record<string, unknown> = {}) {
  return {
    paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
    paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot' } },
    ...overrides,
  };
}

/** A static QRIS (MULTIPLE, API mode, open amount): chargeable many times. */
export function multipleQrBody(overrides: Record<string, unknown> = {}) {
  return {
    clientReferenceId: uniqueReference(),
    paymentType: 'MULTIPLE',
    mode: 'API',
    paymentMethod: { type: 'QR' },
    redirectUrl: { successReturnUrl: 'https://merchant.com/success' },
    autoConfirm: true,
    ...overrides,
  };
}

/** An e-wallet session (autoConfirm): DANA, SHOPEEPAY or OVO, Rp 50.000, the default 15-minute expiry. */
export function ewalletBody(channel: string, overrides: Record<string, unknown> = {}) {
  return {
    clientReferenceId: uniqueReference(),
    amount: { value: 50_000, currency: 'IDR' },
    paymentMethod: { type: 'EWALLET' },
    paymentMethodOptions: { ewallet: { channel } },
    redirectUrl: { successReturnUrl: 'https://merchant.com/success', failureReturnUrl: 'https://merchant.com/failure' },
    statementDescriptor: 'Toko Kopi',
    ...overrides,
  };
}
