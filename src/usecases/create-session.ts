// POST /v2/payments: validate the rules a schema cannot express, build the session (and its charge when
// autoConfirm fixes the method), then write it with its idempotency record, VA reservation and outbox
// rows in one transaction. Unique keys in the database settle every race.
import { createHash } from 'node:crypto';
import { checkShape, resolveChargeExpiry, resolveSessionExpiry } from '../domain/method-rules.ts';
import { methodOf } from '../domain/methods/registry.ts';
import { Refusal, type FieldProblem } from '../domain/refusal.ts';
import { decideChooseMethod, decideIssueCharge, isPastExpiry, type Change } from '../domain/session-state.ts';
import type { MethodChoice, Money, Session } from '../domain/session.ts';
import type { VaRange } from '../domain/va-number.ts';
import { sessionWire } from '../store/codec.ts';
import { isUniqueViolation } from '../store/database.ts';
import type { Merchant } from '../store/merchants.ts';
import { insertStoredResponse } from '../store/idempotency.ts';
import { findOpenByReference, insertSession } from '../store/sessions.ts';
import { reserveVaNumber } from '../store/va-numbers.ts';
import {
  buildCharge,
  freeRequestedReservation,
  rangeFor,
  requestedReservation,
  reservationTaken,
  withSandboxShopperLink,
} from './charges.ts';
import type { Context } from './context.ts';
import { answerOrReplay, storedAnswer, type Idempotency } from './idempotency.ts';
import { changesCommitted, recordExpiry, writeSideEffects } from './persist.ts';

/** What a merchant asks for: the session's own settings, plus what Kasir derives or defaults. */
export type CreateSessionInput = Pick<
  Session,
  | 'clientReferenceId'
  | 'paymentType'
  | 'mode'
  | 'autoConfirm'
  | 'bypassStatusPage'
  | 'saveForFutureUse'
  | 'showSavedPayment'
  | 'redirectUrl'
  | 'echo'
> & {
  /** Absent only for open-amount MULTIPLE sessions. */
  amount?: Money;
  method: MethodChoice | null;
  /** Default: the merchant's name. */
  statementDescriptor?: string;
  /** Default: now + 15 minutes (SINGLE). */
  expiryAt?: Date;
};

export interface CreateResult {
  /**
   * The Payment Session Object as first returned, as JSON text: `sessionWire` of the new session, the text
   * its row, its callbacks and its idempotency record hold (a replay returns the stored text unchanged).
   */
  wire: string;
  replayed: boolean;
}

const MAX_ATTEMPTS = 4;

/**
 * A create whose X-REQUEST-ID has a stored answer gets that answer (usecases/idempotency.ts), also when
 * its expiryAt has passed since or its reference or VA number is held by the very session it created.
 */
export async function createSession(
  ctx: Context,
  merchant: Merchant,
  input: CreateSessionInput,
  idempotency?: Idempotency,
): Promise<CreateResult> {
  return answerOrReplay(ctx, merchant.id, idempotency, () => createUnlessStored(ctx, merchant, input, idempotency), replayed);
}

const replayed = (wire: string): CreateResult => ({ wire, replayed: true });

async function createUnlessStored(
  ctx: Context,
  merchant: Merchant,
  input: CreateSessionInput,
  idempotency: Idempotency | undefined,
): Promise<CreateResult> {
  const now = ctx.now();
  const draft = await draftSession(ctx, merchant, input, now);
  input = await withSessionKey(ctx, draft.id, input);
  const range = await rangeFor(ctx, merchant.id, input.method);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (input.method) await freeRequestedReservation(ctx, merchant.id, input.method, range, now);
    const initial = decideInitialState(ctx, draft, input, merchant, range, now);
    const { vaNumber } = initial;
    const change = { ...initial.change, session: await withSandboxShopperLink(ctx, initial.change.session, now) };
    const wire = sessionWire(change.session);
    let stage = 'idempotency' as 'idempotency' | 'session' | 'va';
    try {
      await ctx.db.transaction().execute(async (trx) => {
        // The idempotency row goes first: a concurrent twin blocks on it and then replays our answer.
        if (idempotency) {
          await insertStoredResponse(trx, merchant.id, idempotency.key, {
            requestHash: idempotency.requestHash,
            status: 200,
            body: wire,
            createdAt: now,
          });
        }
        stage = 'session';
        await insertSession(trx, change.session);
        stage = 'va';
        if (vaNumber) await reserveVaNumber(trx, merchant.id, vaNumber.channel, vaNumber.number, change.session.id);
        await writeSideEffects(ctx, trx, change);
      });
      changesCommitted(ctx, { change });
      return { wire, replayed: false };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (stage === 'idempotency' && idempotency) {
        const stored = await storedAnswer(ctx, merchant.id, idempotency);
        if (stored !== undefined) return replayed(stored);
        continue;
      }
      if (stage === 'session') {
        await freeReference(ctx, merchant.id, input.clientReferenceId);
        continue;
      }
      const requested = requestedReservation(input.method, range);
      if (stage === 'va' && requested) throw reservationTaken(requested);
      // A generated VA number collided: draw another.
    }
  }
  throw new Refusal('state', 'concurrent_update', 'Could not create the payment session because of concurrent changes; retry');
}

/**
 * The reference is held by an open session (its insert collided on the open-reference key). One whose
 * time is up but that the sweeper has not reached yet is expired now and the create tries again; one
 * that is still payable, or one being written at this moment (not committed, so not read here), refuses it.
 */
async function freeReference(ctx: Context, merchantId: string, reference: string): Promise<void> {
  const holder = await findOpenByReference(ctx.db, merchantId, reference);
  if (!holder || !isPastExpiry(holder, ctx.now())) throw duplicateReference(reference);
  await recordExpiry(ctx, holder);
}

async function draftSession(ctx: Context, merchant: Merchant, input: CreateSessionInput, now: Date): Promise<Session> {
  const problems: FieldProblem[] = checkShape({
    amount: input.amount,
    paymentType: input.paymentType,
    mode: input.mode,
    autoConfirm: input.autoConfirm,
    method: input.method,
  });
  const expiry = resolveSessionExpiry(input.expiryAt, { paymentType: input.paymentType, method: input.method }, now);
  problems.push(...expiry.problems);
  if (input.method && problems.length === 0) {
    problems.push(...resolveChargeExpiry(input.method, expiry.expiryAt, now).problems);
  }
  if (problems.length) throw Refusal.validation(problems);

  const id = ctx.newId();
  const paymentUrl =
    input.mode === 'REDIRECT'
      ? `${ctx.publicUrl}/detail?token=${await ctx.tokens.issuePageToken(id, expiry.expiryAt, now)}`
      : null;
  return {
    id,
    merchantId: merchant.id,
    clientReferenceId: input.clientReferenceId,
    amount: input.amount ?? { value: 0, currency: 'IDR' },
    paymentType: input.paymentType,
    mode: input.mode,
    autoConfirm: input.autoConfirm,
    bypassStatusPage: input.bypassStatusPage,
    saveForFutureUse: input.saveForFutureUse,
    showSavedPayment: input.showSavedPayment,
    redirectUrl: input.redirectUrl,
    paymentMethod: null,
    statementDescriptor: input.statementDescriptor ?? merchant.name.slice(0, 20),
    paymentUrl,
    status: 'REQUIRE_PAYMENT_METHOD',
    createdAt: now,
    updatedAt: now,
    expiryAt: expiry.expiryAt,
    cancelledAt: null,
    cancellationReason: null,
    echo: { ...input.echo, customerId: input.echo.customerId ?? customerIdFor(merchant.id, input.echo.customer?.email) },
    charges: [],
    chargeCount: 0,
    version: 0,
  };
}

function decideInitialState(
  ctx: Context,
  draft: Session,
  input: CreateSessionInput,
  merchant: Merchant,
  range: VaRange | undefined,
  now: Date,
): { change: Change; vaNumber?: { channel: string; number: string } } {
  if (!input.method) return { change: { session: draft, events: [] } };
  if (!input.autoConfirm) {
    const change = decideChooseMethod(draft, input.method, now);
    return { change: { session: { ...change.session, version: 0 }, events: [] } };
  }
  const { expiryAt } = resolveChargeExpiry(input.method, draft.expiryAt, now);
  const issued = buildCharge(ctx, draft, input.method, expiryAt, merchant.name, range, now);
  const change = decideIssueCharge(draft, input.method, issued.charge, now);
  // A new row starts at version 0 whatever path built it.
  return { change: { ...change, session: { ...change.session, version: 0 } }, vaNumber: issued.vaNumber };
}

/** A method whose sessions carry their own encryption key (a card in API mode, confirmed later) gets it here, once. */
async function withSessionKey(ctx: Context, sessionId: string, input: CreateSessionInput): Promise<CreateSessionInput> {
  const keys = input.method ? methodOf(input.method.type)?.sessionKey : undefined;
  if (!input.method || !keys?.needed(input.method, { mode: input.mode, autoConfirm: input.autoConfirm })) return input;
  return { ...input, method: keys.attach(input.method, await ctx.cardSecrets.newSessionKey(sessionId)) };
}

/** Pivot derives the customer id from the email: the same shopper gets the same id at one merchant. */
function customerIdFor(merchantId: string, email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const hex = createHash('sha256').update(`${merchantId}\n${email.trim().toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function duplicateReference(reference: string): Refusal {
  return new Refusal(
    'duplicate',
    'duplicate_error',
    `A payment session with clientReferenceId ${reference} is still open; cancel it or use another clientReferenceId`,
  );
}
