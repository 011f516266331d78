// Manual capture of a card authorization on the wire (pivot-api §5.7): the request, its idempotency header
// and the capture the endpoint answers with.
import { Type } from 'typebox';
import { CURRENCIES } from '../domain/payment-methods.ts';
import { Amount, Enum, Ref } from './common.ts';

/** pivot-api §5.7. Pivot types releaseRemainingAmount "Object"; it is used as a boolean (§14). */
export const CaptureRequest = Type.Object(
  {
    releaseRemainingAmount: Type.Boolean({
      description: 'true ends the authorization after this capture: the rest of it is released, never captured',
    }),
    amount: Type.Optional(
      Type.Object(
        {
          value: Type.Integer({
            minimum: 0,
            maximum: 999_999_999_999_999,
            description:
              'Integer; at most what is left of the authorization. 0 (with releaseRemainingAmount) only releases the rest',
          }),
          currency: Enum(CURRENCIES, { description: "The charge's currency" }),
        },
        { additionalProperties: true },
      ),
    ),
  },
  {
    $id: 'CaptureRequest',
    description: 'amount omitted: capture everything not captured yet',
  },
);

export const CaptureHeaders = Type.Object({
  'x-request-id': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9]{16,36}$',
      description:
        'Idempotency key, recommended: a retried capture with the same key and body answers the first capture instead of taking more',
      example: '0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f',
    }),
  ),
});

/** The capture endpoint's answer (pivot-api §5.7). */
export const Capture = Type.Object(
  {
    id: Type.String(),
    paymentSessionId: Type.String(),
    paymentSessionClientReferenceId: Type.String(),
    releaseRemainingAmount: Type.Boolean(),
    amount: Ref(Amount),
    status: Enum(['PENDING', 'SUCCESS', 'FAILED'] as const, { description: 'Kasir captures at once: SUCCESS' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Capture' },
);
