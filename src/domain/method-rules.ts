// Rules that need more than a JSON schema: which method/type/mode combinations exist, amount limits per
// method, and how long a session and its charge may live. Each returns field problems, never throws,
// so one 400 can list every bad field.
import type { FieldProblem } from './refusal.ts';
import { DEFAULT_SESSION_SECONDS } from './payment-methods.ts';
import { MAX_SESSION_SECONDS, OFFERED_METHOD_TYPES, limitsOf, methodOf } from './methods/registry.ts';
import type { ChoiceShape } from './methods/method.ts';
import type { MethodChoice, Money } from './session.ts';
import type { Mode, PaymentType } from './statuses.ts';

export interface SessionShape {
  amount: Money | undefined;
  paymentType: PaymentType;
  mode: Mode;
  autoConfirm: boolean;
  method: MethodChoice | null;
}

export function checkMethod(choice: MethodChoice, shape: ChoiceShape, prefix = ''): FieldProblem[] {
  const method = methodOf(choice.type);
  if (!method) {
    return [
      {
        field: `${prefix}paymentMethod.type`,
        message: `${choice.type} is not supported by Kasir yet; use ${OFFERED_METHOD_TYPES.join(' or ')}`,
      },
    ];
  }
  const problems = method.optionProblems(choice, shape, prefix);
  const amount = shape.amount;
  const openAmount = shape.paymentType === 'MULTIPLE' && (amount === undefined || amount.value === 0);
  if (amount !== undefined && !openAmount && !problems.some((p) => p.field === 'amount')) {
    const { minimumAmount, maximumAmount, name = choice.type } = limitsOf(method, choice);
    if (amount.value < minimumAmount || amount.value > maximumAmount) {
      problems.push({
        field: 'amount.value',
        message: `amount for ${name} must be between ${minimumAmount} and ${maximumAmount}`,
      });
    }
  }
  return problems;
}

export function checkShape(shape: SessionShape): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (shape.paymentType === 'MULTIPLE') {
    if (shape.mode !== 'API') {
      problems.push({ field: 'paymentType', message: "paymentType 'MULTIPLE' is only allowed when mode is set to 'API'" });
    }
    if (!shape.method || !methodOf(shape.method.type)?.allowsMultiple) {
      problems.push({ field: 'paymentType', message: "paymentType 'MULTIPLE' is not allowed for this payment method type" });
    }
  } else if (shape.amount === undefined) {
    problems.push({ field: 'amount', message: 'amount is required' });
  }
  if (shape.mode === 'API' && !shape.method) {
    problems.push({ field: 'paymentMethod', message: "paymentMethod is required when mode is 'API'" });
  }
  if (shape.method) problems.push(...checkMethod(shape.method, { ...shape, issuing: shape.autoConfirm }));
  return problems;
}

/** The session's expiry: requested or now + 15 min (SINGLE); MULTIPLE sessions may live forever. */
export function resolveSessionExpiry(
  requested: Date | undefined,
  shape: Pick<SessionShape, 'paymentType' | 'method'>,
  now: Date,
): { expiryAt: Date | null; problems: FieldProblem[] } {
  if (requested === undefined) {
    if (shape.paymentType === 'MULTIPLE') return { expiryAt: null, problems: [] };
    return { expiryAt: new Date(now.getTime() + DEFAULT_SESSION_SECONDS * 1000), problems: [] };
  }
  const problem = checkExpiry(requested, shape.method, now, 'expiryAt');
  return { expiryAt: requested, problems: problem ? [problem] : [] };
}

export function checkExpiry(at: Date, choice: MethodChoice | null, now: Date, field: string): FieldProblem | undefined {
  if (at.getTime() <= now.getTime()) return { field, message: `${field} must be in the future` };
  // A method Kasir does not offer is reported once, on paymentMethod.type, not again through its limits.
  const method = choice ? methodOf(choice.type) : undefined;
  const limits = method ? limitsOf(method, choice) : undefined;
  const maxSeconds = limits ? limits.maximumExpirySeconds : MAX_SESSION_SECONDS;
  if (at.getTime() > now.getTime() + maxSeconds * 1000) {
    const label =
      method && limits
        ? `${limits.name ?? method.type} (${limits.maximumExpiry})`
        : `a session (${MAX_SESSION_SECONDS / 86400} DAYS)`;
    return { field, message: `${field} is beyond the maximum expiry for ${label}` };
  }
  return undefined;
}

/**
 * When the charge stops being payable: the method's own expiryAt if given, else the session's, capped by
 * the method's maximum. A SINGLE session ends with its only charge, so the caller shortens the session to it.
 */
export function resolveChargeExpiry(
  choice: MethodChoice,
  sessionExpiry: Date | null,
  now: Date,
): { expiryAt: Date | null; problems: FieldProblem[] } {
  const method = methodOf(choice.type);
  if (!method) return { expiryAt: null, problems: checkMethod(choice, { amount: undefined, paymentType: 'SINGLE' }) };
  const requested = method.requestedExpiry(choice);
  const field = `paymentMethodOptions.${method.optionsKey}.expiryAt`;
  if (requested) {
    const problem = checkExpiry(requested, choice, now, field);
    if (problem) return { expiryAt: null, problems: [problem] };
  }
  const cap = new Date(now.getTime() + limitsOf(method, choice).maximumExpirySeconds * 1000);
  const candidates = [requested, sessionExpiry ?? undefined, cap].filter((d): d is Date => d !== undefined);
  if (sessionExpiry === null && !requested) return { expiryAt: null, problems: [] };
  return { expiryAt: new Date(Math.min(...candidates.map((d) => d.getTime()))), problems: [] };
}
