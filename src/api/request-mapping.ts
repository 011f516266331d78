// From validated wire bodies to use-case inputs: Pivot's defaults, its two spellings (sureName/surname,
// nested/sibling paymentMethodOptions), dates parsed, return URLs checked. Problems are collected so
// one 400 lists every bad field.
import type { KasirEnv } from '../config.ts';
import type { FieldProblem } from '../domain/refusal.ts';
import { Refusal } from '../domain/refusal.ts';
import { isOffered } from '../domain/methods/registry.ts';
import type { MethodChoice } from '../domain/session.ts';
import { OPTION_READERS, wireDate } from '../contract/methods.ts';
import type { CardSource } from '../usecases/card-payment.ts';
import type { CreateSessionInput } from '../usecases/create-session.ts';
import type { ConfirmPaymentBody, CreatePaymentBody } from '../contract/payments.ts';

type OptionsBody = NonNullable<CreatePaymentBody['paymentMethodOptions']>;
type MethodBody = NonNullable<CreatePaymentBody['paymentMethod']>;

/**
 * Sibling options win over nested ones when both are sent; Pivot's table lists them as siblings. Only the
 * chosen method reads its options; a method Kasir does not offer keeps none and is refused by the rules.
 */
export function methodChoice(method: MethodBody | undefined, sibling: OptionsBody | undefined): MethodChoice | null {
  if (!method) return null;
  const raw = sibling ?? method.paymentMethodOptions ?? {};
  return { type: method.type, options: isOffered(method.type) ? OPTION_READERS[method.type](raw, method) : {} };
}

export function checkReturnUrl(field: string, value: string | undefined, env: KasirEnv): FieldProblem | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, message: `${field} must be an absolute URL` };
  }
  if (env === 'production' && url.protocol !== 'https:') return { field, message: `${field} must use https in production` };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { field, message: `${field} must be an http(s) URL` };
  if (url.username || url.password) return { field, message: `${field} must not contain credentials` };
  return undefined;
}

/** `sureName` is Pivot's legacy spelling: accepted on input, stored and emitted as `surname`. */
function normalisePerson<T extends { surname?: string; sureName?: string }>(
  person: T | undefined,
): Omit<T, 'sureName'> | undefined {
  if (!person) return undefined;
  const { sureName, ...rest } = person;
  return rest.surname === undefined && sureName !== undefined ? { ...rest, surname: sureName } : rest;
}

export function toCreateInput(body: CreatePaymentBody, env: KasirEnv): CreateSessionInput {
  const problems: FieldProblem[] = [];
  for (const key of ['successReturnUrl', 'failureReturnUrl', 'expirationReturnUrl'] as const) {
    const problem = checkReturnUrl(`redirectUrl.${key}`, body.redirectUrl[key], env);
    if (problem) problems.push(problem);
  }
  if (body.paymentMethod?.card !== undefined) {
    problems.push({
      field: 'paymentMethod.card',
      message: 'card data is sent on confirm, encrypted with the encryptionKey this create returns (mode API, autoConfirm false)',
    });
  }
  if (problems.length) throw Refusal.validation(problems);
  const order = body.orderInformation;
  return {
    clientReferenceId: body.clientReferenceId,
    amount: body.amount && { value: body.amount.value, currency: body.amount.currency },
    paymentType: body.paymentType ?? 'SINGLE',
    mode: body.mode ?? 'REDIRECT',
    autoConfirm: body.autoConfirm ?? true,
    bypassStatusPage: body.bypassStatusPage ?? false,
    saveForFutureUse: body.saveForFutureUse ?? body.saveForFuture ?? false,
    showSavedPayment: body.showSavedPayment ?? false,
    redirectUrl: {
      ...(body.redirectUrl.successReturnUrl !== undefined && { successReturnUrl: body.redirectUrl.successReturnUrl }),
      ...(body.redirectUrl.failureReturnUrl !== undefined && { failureReturnUrl: body.redirectUrl.failureReturnUrl }),
      ...(body.redirectUrl.expirationReturnUrl !== undefined && { expirationReturnUrl: body.redirectUrl.expirationReturnUrl }),
    },
    method: methodChoice(body.paymentMethod, body.paymentMethodOptions),
    statementDescriptor: body.statementDescriptor,
    expiryAt: body.expiryAt === undefined ? undefined : wireDate(body.expiryAt),
    echo: {
      customerId: body.customerId,
      customer: normalisePerson(body.customer),
      orderInformation: order && {
        ...order,
        billingInfo: normalisePerson(order.billingInfo),
        shippingInfo: normalisePerson(order.shippingInfo),
      },
      metadata: body.metadata,
      expirationMode: body.expirationMode,
      recurringId: body.recurringId,
      initiateFirstAuthorization: body.initiateFirstAuthorization,
      splitRoutingConfigurations: body.splitRoutingConfigurations,
    },
  };
}

export function toConfirmMethod(body: ConfirmPaymentBody | undefined): MethodChoice | undefined {
  return methodChoice(body?.paymentMethod, body?.paymentMethodOptions) ?? undefined;
}

/** The card a merchant's own page sent with confirm, if any: encrypted, or a saved card's token. */
export function toConfirmCard(body: ConfirmPaymentBody | undefined): CardSource | undefined {
  const card = body?.paymentMethod?.card;
  if (!card) return undefined;
  if (card.token !== undefined && card.encryptedCard !== undefined) {
    throw Refusal.field('paymentMethod.card', 'send either encryptedCard or token, not both');
  }
  if (card.token !== undefined) return { token: card.token };
  if (card.encryptedCard === undefined) {
    throw Refusal.field('paymentMethod.card.encryptedCard', 'paymentMethod.card needs encryptedCard or token');
  }
  return { encryptedCard: card.encryptedCard };
}
