// The single path by which a session changes: compare-and-set the row, write the callbacks the change
// owes into the outbox, release a VA number once the session can no longer be paid — one transaction.
import { randomBytes } from 'node:crypto';
import { paymentSessionObject } from '../domain/payment-session-object.ts';
import type { CallbackEvent } from '../domain/statuses.ts';
import { Refusal } from '../domain/refusal.ts';
import { decideExpire, isPastExpiry, refuseIfExpired, type Change } from '../domain/session-state.ts';
import type { Session } from '../domain/session.ts';
import { isFinal } from '../domain/statuses.ts';
import type { Database } from '../store/schema.ts';
import { sessionWire } from '../store/codec.ts';
import { savePaymentMethod } from '../store/customers.ts';
import { enqueueCallbacks } from '../store/outbox.ts';
import { compareAndSet, findSession } from '../store/sessions.ts';
import { releaseVaNumbers } from '../store/va-numbers.ts';
import { recordAudit, type AuditAs } from './audit-log.ts';
import type { Context } from './context.ts';

export async function writeChange(ctx: Context, trx: Database, before: Session, change: Change): Promise<boolean> {
  if (!(await compareAndSet(trx, before, change.session))) return false;
  await writeSideEffects(ctx, trx, change);
  return true;
}

/** A change and the session it was decided on (none: the change creates the session). */
export interface CommittedChange {
  before?: Session;
  change: Change;
}

/**
 * Many changes in one transaction (the sweeper's batches): each is still its own compare-and-set, and the
 * side effects of the ones that won are written together, a statement per kind rather than per session.
 * Returns the ones that won.
 */
export async function writeChanges(
  ctx: Context,
  trx: Database,
  changes: Array<{ before: Session; change: Change }>,
): Promise<Array<{ before: Session; change: Change }>> {
  const won: Array<{ before: Session; change: Change }> = [];
  for (const pair of changes) {
    if (await compareAndSet(trx, pair.before, pair.change.session)) won.push(pair);
  }
  await writeSideEffects(ctx, trx, ...won.map((pair) => pair.change));
  return won;
}

/**
 * What follows the commit of session changes, and only the commit (a rolled-back change is neither counted
 * nor announced): /metrics counts each creation and each change of status, and the dispatcher is woken
 * when the changes owe callbacks. Every path that writes a session calls it after its transaction.
 */
export function changesCommitted(ctx: Context, ...changes: CommittedChange[]): void {
  for (const { before, change } of changes) {
    const { session } = change;
    const method = session.paymentMethod?.type ?? 'NONE';
    if (!before) ctx.metrics?.sessionCreated(method, session.mode);
    else if (before.status !== session.status) ctx.metrics?.sessionTransitioned(method, before.status, session.status);
  }
  if (changes.some(({ change }) => change.events.length > 0)) ctx.onCallbacksEnqueued?.();
}

export async function writeSideEffects(ctx: Context, trx: Database, ...changes: Change[]): Promise<void> {
  const ended = changes.filter((c) => isFinal(c.session.status)).map((c) => c.session.id);
  if (ended.length) await releaseVaNumbers(trx, ended);
  for (const { session } of changes) await savePaymentMethodIfAsked(ctx, trx, session);
  await enqueueCallbacks(
    trx,
    changes.flatMap(({ session, events }) =>
      events.map((event) => ({
        id: `cb_${ctx.newId()}`,
        merchantId: session.merchantId,
        resource: { type: 'payment_session' as const, id: session.id },
        event,
        payload: `{"event":${JSON.stringify(event)},"data":${callbackData(event, session)}}`,
      })),
    ),
    ctx.now(),
  );
}

/**
 * A MULTIPLE session's CHARGE.SUCCESS carries only the charge that succeeded (the last one the decision
 * added), so a body stays the same size on the 2,000th payment as on the first; every other event carries
 * the session as GET shows it — the text the compare-and-set just stored, not serialised a second time.
 */
function callbackData(event: CallbackEvent, session: Session): string {
  if (event === 'CHARGE.SUCCESS') return JSON.stringify(paymentSessionObject({ ...session, charges: session.charges.slice(-1) }));
  return sessionWire(session);
}

/**
 * saveForFutureUse (pivot-api §5.2, "tokenize CARD/EWALLET when charge is SUCCESS"): the card or e-wallet
 * account that paid is kept for the session's customer under a random token, in the transaction that
 * records the payment. Only PAID gets here once: it is final.
 */
async function savePaymentMethodIfAsked(ctx: Context, trx: Database, session: Session): Promise<void> {
  const customerId = session.echo.customerId;
  if (session.status !== 'PAID' || !session.saveForFutureUse || !customerId) return;
  const charge = session.charges[session.charges.length - 1];
  const common = { token: `pm_${randomBytes(24).toString('base64url')}`, customerId, createdAt: ctx.now() };
  const card = charge?.card?.card;
  if (card) return savePaymentMethod(trx, session.merchantId, { ...common, kind: 'CARD', card });
  const wallet = charge?.ewallet;
  if (wallet?.mobileNumber) {
    const { channel, mobileNumber, accountName } = wallet;
    const fingerprint = ctx.cardSecrets.walletFingerprint(channel, mobileNumber);
    await savePaymentMethod(trx, session.merchantId, {
      ...common,
      kind: 'EWALLET',
      ewallet: { channel, mobileNumber, accountName, fingerprint },
    });
  }
}

const MAX_ATTEMPTS = 8;

/**
 * Load → decide → compare-and-set, retried when another writer got there first (the retry re-reads and
 * lets the domain refuse if the winner's state no longer allows the action). A session found past its
 * expiry is first recorded as expired, then the action is refused. With `audit`, the change that wins is
 * recorded in the audit log in its own transaction (one INSERT).
 */
export async function transition(
  ctx: Context,
  merchantId: string,
  sessionId: string,
  decide: (session: Session, now: Date) => Change,
  audit?: AuditAs,
): Promise<Session> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { session, now } = await loadForAction(ctx, merchantId, sessionId);
    const change = decide(session, now);
    const won = await ctx.db.transaction().execute(async (trx) => {
      if (!(await writeChange(ctx, trx, session, change))) return false;
      if (audit) await recordAuditOfSession(ctx, trx, session, audit);
      return true;
    });
    if (won) {
      changesCommitted(ctx, { before: session, change });
      return change.session;
    }
  }
  throw new Refusal('state', 'concurrent_update', 'The payment session is being changed by another request; retry');
}

/** The audit entry of a change to `session`, written with the change's transaction `trx`. */
export function recordAuditOfSession(ctx: Context, trx: Database, session: Session, audit: AuditAs): Promise<void> {
  return recordAudit(ctx, trx, {
    merchantId: session.merchantId,
    actor: audit.actor,
    action: audit.action,
    resource: { type: 'payment_session', id: session.id },
    ...(audit.detail !== undefined && { detail: audit.detail }),
  });
}

/**
 * The session an action starts from, as it stands now: 404 when the merchant has no such session. One found
 * past its expiry is first recorded as expired, then refused: every action answers an expired session with
 * the same code, whether or not the sweeper got there first.
 */
export async function loadForAction(
  ctx: Context,
  merchantId: string,
  sessionId: string,
): Promise<{ session: Session; now: Date }> {
  const session = await findSession(ctx.db, merchantId, sessionId);
  if (!session) throw notFound(sessionId);
  const now = ctx.now();
  if (isPastExpiry(session, now)) await recordExpiry(ctx, session);
  refuseIfExpired(session, now);
  return { session, now };
}

/** Writes down an expiry that time has already decided; losing the race to another writer is fine. */
export async function recordExpiry(ctx: Context, session: Session): Promise<boolean> {
  const change = decideExpire(session, session.expiryAt ?? ctx.now());
  const won = await ctx.db.transaction().execute((trx) => writeChange(ctx, trx, session, change));
  if (won) changesCommitted(ctx, { before: session, change });
  return won;
}

export function notFound(id: string): Refusal {
  return new Refusal('not_found', 'resource_missing', `The payment session with ID ${id} cannot be found`);
}
