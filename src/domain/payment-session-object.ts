// Pivot's Payment Session Object (pivot-api §6.1): the one wire shape that GET, create, confirm, cancel and
// callbacks all carry. Pure mapping from the domain session; timestamps as ISO-8601 UTC.
import { recommendationFor } from './charge-failures.ts';
import { isoOrNull as iso } from './methods/method.ts';
import { methodOf } from './methods/registry.ts';
import type { Charge, Session } from './session.ts';

/** The session a charge belongs to, as its wire object names it. */
export interface ChargeOwner {
  id: string;
  clientReferenceId: string;
}

export function chargeObject(session: ChargeOwner, charge: Charge) {
  const methodWire = methodOf(charge.methodType)?.chargeWire(charge);
  // A method may word its own failure (cards do, per scenario); else Pivot's code says what to do.
  const recommendation =
    charge.failureCode && !(methodWire && 'recommendation' in methodWire) ? recommendationFor(charge.failureCode) : undefined;
  return {
    id: charge.id,
    paymentSessionId: session.id,
    paymentSessionClientReferenceId: session.clientReferenceId,
    amount: charge.amount,
    statementDescriptor: charge.statementDescriptor,
    status: charge.status,
    authorizedAmount: null,
    capturedAmount: charge.status === 'SUCCESS' ? charge.amount : null,
    isCaptured: charge.status === 'SUCCESS',
    createdAt: iso(charge.createdAt)!,
    updatedAt: iso(charge.updatedAt)!,
    paidAt: iso(charge.paidAt),
    ...methodWire,
    ...(charge.failureCode && { failureCode: charge.failureCode, failureMessage: charge.failureMessage ?? null }),
    ...(recommendation !== undefined && { recommendation }),
    // Pivot documents no refund field on the charge: Kasir's choice, present once a refund of it succeeded.
    ...(charge.refunds &&
      charge.refunds.refunded > 0 && { refundedAmount: { value: charge.refunds.refunded, currency: charge.amount.currency } }),
  };
}

export function paymentMethodObject(session: Session) {
  const choice = session.paymentMethod;
  if (!choice) return null;
  const current = session.charges[session.charges.length - 1];
  return { type: choice.type, ...methodOf(choice.type)?.methodWire(choice, current) };
}

/** The public key a merchant's own page encrypts the card with (card sessions in API mode, pivot-api §6.1). */
function encryptionKey(session: Session): { encryptionKey?: string } {
  const choice = session.paymentMethod;
  const key = choice ? methodOf(choice.type)?.sessionKey?.of(choice) : undefined;
  return key ? { encryptionKey: key.publicKey } : {};
}

export function paymentSessionObject(session: Session) {
  return {
    id: session.id,
    clientReferenceId: session.clientReferenceId,
    amount: session.amount,
    autoConfirm: session.autoConfirm,
    mode: session.mode,
    bypassStatusPage: session.bypassStatusPage,
    redirectUrl: session.redirectUrl,
    paymentType: session.paymentType,
    paymentMethod: paymentMethodObject(session),
    statementDescriptor: session.statementDescriptor,
    ...(session.echo.expirationMode !== undefined && { expirationMode: session.echo.expirationMode }),
    ...(session.echo.recurringId !== undefined && { recurringId: session.echo.recurringId }),
    ...(session.echo.initiateFirstAuthorization !== undefined && {
      initiateFirstAuthorization: session.echo.initiateFirstAuthorization,
    }),
    saveForFutureUse: session.saveForFutureUse,
    showSavedPayment: session.showSavedPayment,
    status: session.status,
    investigationStatus: null,
    createdAt: iso(session.createdAt)!,
    updatedAt: iso(session.updatedAt)!,
    expiryAt: iso(session.expiryAt),
    ...(session.paymentUrl && { paymentUrl: session.paymentUrl }),
    ...encryptionKey(session),
    chargeDetails: session.charges.length ? session.charges.map((c) => chargeObject(session, c)) : null,
    customerId: session.echo.customerId ?? null,
    customer: session.echo.customer ?? null,
    orderInformation: session.echo.orderInformation ?? null,
    ...(session.echo.splitRoutingConfigurations !== undefined && {
      splitRoutingConfigurations: session.echo.splitRoutingConfigurations,
    }),
    cancelledAt: iso(session.cancelledAt),
    cancellationReason: session.cancellationReason,
    metadata: session.echo.metadata ?? null,
  };
}

export type PaymentSessionObject = ReturnType<typeof paymentSessionObject>;
