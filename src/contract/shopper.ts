// What a merchant says about the shopper and the order (pivot-api §5.2 customer, orderInformation, redirectUrl):
// validated for shape and length, then stored and answered verbatim. Shared by payment sessions and refunds.
import { Type } from 'typebox';
import { AmountInput, Enum, Ref, Str } from './common.ts';

const PhoneNumber = Type.Object({
  countryCode: Str(4, 2, { pattern: '^\\+[0-9]{1,3}$' }),
  number: Str(15, 4, { pattern: '^[1-9][0-9]*$', description: 'Digits without the leading 0, e.g. 89699990001' }),
});

const Email = Str(255, 3, { format: 'email' });

const RefundPreference = Type.Object({
  method: Enum(['AUTO', 'TRANSFER_ONLY'] as const),
  transferDestination: Type.Optional(
    Type.Object({
      channelCode: Str(20),
      channelInformation: Type.Object({ accountNumber: Str(30), accountName: Str(50) }),
    }),
  ),
});

const personFields = {
  givenName: Type.Optional(Str(255)),
  surname: Type.Optional(Str(255, 0)),
  sureName: Type.Optional(Str(255, 0, { description: 'Legacy spelling of surname; accepted, never emitted' })),
  email: Type.Optional(Email),
  phoneNumber: Type.Optional(PhoneNumber),
};

export const Customer = Type.Object(
  { ...personFields, refundPreference: Type.Optional(RefundPreference) },
  { $id: 'Customer', description: 'Customer Object as sent; returned as sent (sureName read as surname)' },
);

const addressFields = {
  addressLine1: Type.Optional(Str(255)),
  addressLine2: Type.Optional(Str(255, 0)),
  city: Type.Optional(Str(255)),
  provinceState: Type.Optional(Str(255)),
  country: Type.Optional(Str(2, 2, { pattern: '^[A-Z]{2}$' })),
  postalCode: Type.Optional(Str(10)),
};

const ProductDetail = Type.Object({
  type: Enum(['PHYSICAL', 'DIGITAL', 'SERVICE'] as const),
  category: Type.Optional(Str(255)),
  subCategory: Type.Optional(Str(255)),
  name: Type.Optional(Str(255)),
  description: Type.Optional(Str(255)),
  quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  price: Ref(AmountInput),
});

export const OrderInformation = Type.Object(
  {
    productDetails: Type.Array(ProductDetail, { minItems: 1, maxItems: 200 }),
    billingInfo: Type.Optional(Type.Object({ ...personFields, ...addressFields })),
    shippingInfo: Type.Optional(
      Type.Object({
        ...personFields,
        ...addressFields,
        method: Type.Optional(Enum(['REGULAR', 'NEXTDAY', 'SAMEDAY', 'INSTANT'] as const)),
        shippingFee: Type.Optional(Ref(AmountInput)),
      }),
    ),
  },
  { $id: 'OrderInformation' },
);

const ReturnUrl = Str(255, 1, { description: 'Absolute http(s) URL (https only in production)' });
export const RedirectUrl = Type.Object(
  {
    successReturnUrl: Type.Optional(ReturnUrl),
    failureReturnUrl: Type.Optional(ReturnUrl),
    expirationReturnUrl: Type.Optional(ReturnUrl),
  },
  { $id: 'RedirectUrl' },
);
