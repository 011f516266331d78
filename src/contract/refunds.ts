// Refunds on the wire (pivot-api §5.10): what merchants send to refund, and the Refund Object every answer
// and REFUND.* callback carries. Pivot writes refund amounts as decimal strings; Kasir accepts a string or
// a JSON number and answers with strings, as Pivot does.
import { Type, type Static } from 'typebox';
import { CURRENCIES } from '../domain/payment-methods.ts';
import {
  DESTINATION_TYPES,
  REFUND_METHODS,
  REFUND_REASONS,
  REFUND_SIMULATION_OUTCOMES,
  REFUND_STATUSES,
} from '../domain/statuses.ts';
import { Enum, FreeObject, Nullable, PageQuery, Ref, Str } from './common.ts';

// ---- requests ----

/**
 * Either form Pivot's pages use. The schema only takes a string or a number; whether it is a whole,
 * positive number of rupiah is checked when the request is read (api/refunds/create.ts), so the answer
 * can say exactly that instead of naming one branch of a union.
 */
const AmountValueInput = Type.Unsafe<string | number>({
  anyOf: [{ type: 'string', minLength: 1, maxLength: 24 }, { type: 'number' }],
  description:
    'Whole rupiah, positive: a decimal string as Pivot writes it ("10000", or "10000.00" with a zero fraction) or a JSON integer',
  example: '10000',
});

export const RefundAmountInput = Type.Object(
  { value: AmountValueInput, currency: Enum(CURRENCIES, { description: 'ISO 4217 code' }) },
  { $id: 'RefundAmountInput', description: 'Amount Object as a refund request carries it' },
);

export const TransferDestination = Type.Object(
  {
    channelCode: Str(20, 1, { description: 'Payout channel code, e.g. BCA or 014' }),
    channelInformation: Type.Object({ accountNumber: Str(30), accountName: Str(50) }),
    description: Type.Optional(Str(255, 0)),
  },
  { $id: 'TransferDestination', description: 'A bank account a refund can be transferred to' },
);

const createFields = Type.Object({
  clientReferenceId: Str(100, 1, {
    pattern: '^[A-Za-z0-9._:-]+$',
    description: "Merchant's unique refund reference; in the sandbox its prefix picks an outcome (docs/refunds.md)",
  }),
  paymentSessionId: Type.Optional(Str(100, 1, { description: 'The paid SINGLE session to refund' })),
  chargeId: Type.Optional(Str(100, 1, { description: 'The SUCCESS charge to refund (required for a MULTIPLE session)' })),
  isFullAmount: Type.Optional(Type.Boolean({ description: 'true: refund what remains (leave amount out); default false' })),
  amount: Type.Optional(Ref(RefundAmountInput)),
  reason: Enum(REFUND_REASONS),
  description: Type.Optional(Str(50, 0)),
  method: Type.Optional(
    Enum(REFUND_METHODS, {
      description:
        "AUTO: back through the payment channel where the method can, else by bank transfer; TRANSFER_ONLY: bank transfer. Default: the customer's refundPreference.method, else AUTO",
    }),
  ),
  transferDestination: Type.Optional(Ref(TransferDestination)),
  metadata: Type.Optional(FreeObject),
});

/**
 * What to refund is named by paymentSessionId or chargeId, and how much by amount or isFullAmount: the two
 * anyOf members say so, so generated clients type it and validation names the missing field.
 */
export const CreateRefundRequest = Type.Intersect(
  [
    createFields,
    Type.Union([Type.Object({ paymentSessionId: Str(100) }), Type.Object({ chargeId: Str(100) })]),
    Type.Union([
      Type.Object({ amount: Ref(RefundAmountInput) }),
      Type.Object({ isFullAmount: Type.Unsafe<true>({ type: 'boolean', enum: [true], description: 'refund what remains' }) }),
    ]),
  ],
  { $id: 'CreateRefundRequest' },
);
export type CreateRefundBody = Static<typeof CreateRefundRequest>;

export const RefundSimulationRequest = Type.Object(
  {
    refundId: Str(100),
    status: Enum(REFUND_SIMULATION_OUTCOMES, { description: 'SUCCESS or FAILED, now' }),
  },
  { $id: 'RefundSimulationRequest', description: 'Settle an open sandbox refund at once (Kasir extension)' },
);

export const RefundIdParams = Type.Object({ id: Str(100, 1, { description: 'Refund id' }) });

export const ListRefundsQuery = Type.Object({
  ...PageQuery,
  paymentSessionId: Type.Optional(Str(100)),
  clientReferenceId: Type.Optional(Str(100)),
  status: Type.Optional(Enum(REFUND_STATUSES)),
});

// ---- responses ----

export const RefundAmount = Type.Object(
  { value: Type.String({ description: 'Whole rupiah as a decimal string, e.g. "10000"' }), currency: Type.String() },
  { $id: 'RefundAmount', description: "Amount Object as Pivot's refund pages write it" },
);

export const Refund = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    clientReferenceId: Type.String(),
    paymentSessionId: Type.String(),
    chargeId: Type.String(),
    isFullAmount: Type.Boolean(),
    amount: Ref(RefundAmount),
    capturedAmount: Ref(RefundAmount),
    reason: Enum(REFUND_REASONS),
    description: Nullable(Type.String()),
    method: Enum(REFUND_METHODS),
    transferDestination: Nullable(FreeObject),
    status: Enum(REFUND_STATUSES),
    destinationType: Nullable(
      Enum(DESTINATION_TYPES, { description: 'Set at the final status: CHANNEL or ACCOUNT (bank transfer); null before' }),
    ),
    failureCode: Type.Optional(Type.String({ description: 'Kasir extension, on FAILED refunds' })),
    failureMessage: Type.Optional(Nullable(Type.String({ description: 'Kasir extension, on FAILED refunds' }))),
    metadata: Nullable(FreeObject),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Refund', description: 'Refund Object (pivot-api §5.10)' },
);
export type RefundWire = Static<typeof Refund>;
