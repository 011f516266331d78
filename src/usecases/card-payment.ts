// Card payments after the charge is out: the shopper's card typed on the hosted page, or encrypted by the
// merchant's own page and sent with confirm (API mode); then the sandbox ACS page's OTP or cancel. The
// card number and CVC live only in this request's memory: what is kept is first6/first8/last4, the expiry
// and a keyed fingerprint (security/card-secrets.ts).
import { checkMethod, resolveChargeExpiry } from '../domain/method-rules.ts';
import { cardDigits, cardProblems, normaliseExpiry, normaliseNumber, type CardEntry } from '../domain/card/pan.ts';
import type { TakenCard } from '../domain/card/card-charge.ts';
import { sandboxScenario, type SandboxScenario } from '../domain/card/sandbox-cards.ts';
import { decideCardTaken, decideChallengeCancelled, decideOtp } from '../domain/card/three-ds.ts';
import { methodOf } from '../domain/methods/registry.ts';
import { Refusal, type FieldProblem } from '../domain/refusal.ts';
import { assertConfirmable, decideIssueCharge, type Change } from '../domain/session-state.ts';
import type { MethodChoice, Session } from '../domain/session.ts';
import { CardDecryptionError } from '../security/card-secrets.ts';
import type { Merchant } from '../store/merchants.ts';
import { storedCardByToken } from '../store/customers.ts';
import { findSessionById } from '../store/sessions.ts';
import { buildCharge } from './charges.ts';
import type { Context } from './context.ts';
import { changesCommitted, loadForAction, transition, writeChange } from './persist.ts';
import { isJsonObject } from '../domain/json.ts';

/** The card as Kasir keeps it, and (sandbox only) what Pivot's test card makes happen. */
function takeCard(ctx: Context, entry: CardEntry): { card: TakenCard; scenario: SandboxScenario | undefined } {
  const digits = normaliseNumber(entry.number);
  const expiry = normaliseExpiry(entry.expMonth, entry.expYear);
  if (!expiry) throw new Error('takeCard needs an entry that passed cardProblems');
  // Outside the sandbox a test card is just a card: no scenario, the charge waits for a processor.
  const scenario = ctx.env === 'sandbox' ? sandboxScenario(digits) : undefined;
  return {
    card: {
      ...cardDigits(digits),
      ...expiry,
      fingerprint: ctx.cardSecrets.fingerprint(digits),
      sandboxIssuer: scenario?.testCard ?? false,
    },
    scenario,
  };
}

/** The shopper typed a card on the hosted page: 400-style problems (by form field), or the session after it. */
export async function payWithCardOnPage(ctx: Context, session: Session, entry: CardEntry): Promise<Session> {
  const problems = cardProblems(entry, ctx.now());
  if (problems.length) throw Refusal.validation(problems);
  const { card, scenario } = takeCard(ctx, entry);
  return transition(ctx, session.merchantId, session.id, (current, now) =>
    decideCardTaken(current, card, scenario, now, ctx.randomDigits),
  );
}

/**
 * The shopper chose a saved card on the hosted page (showSavedPayment) and typed its CVC, which is checked
 * for shape and then forgotten like any CVC; the card is the customer's own saved one.
 */
export async function payWithSavedCardOnPage(ctx: Context, session: Session, token: string, cvc: string): Promise<Session> {
  if (!session.showSavedPayment) throw Refusal.field('savedCard', 'this payment does not offer saved cards');
  if (!/^[0-9]{3}$/.test(cvc.trim())) throw Refusal.field('cvc', 'the CVC must be 3 digits');
  const { card, scenario } = await savedCard(ctx, session, token);
  return transition(ctx, session.merchantId, session.id, (current, now) =>
    decideCardTaken(current, card, scenario, now, ctx.randomDigits),
  );
}

function sandboxOnly(ctx: Context): void {
  if (ctx.env !== 'sandbox') throw new Refusal('not_found', 'not_found', 'The ACS page exists only in the sandbox environment');
}

/** An OTP typed at the sandbox ACS page: passes with 000000, else counts a wrong attempt. */
export async function submitOtp(ctx: Context, session: Session, otp: string): Promise<Session> {
  sandboxOnly(ctx);
  return transition(ctx, session.merchantId, session.id, (current, now) => decideOtp(current, otp, now, ctx.randomDigits));
}

export async function cancelChallenge(ctx: Context, session: Session): Promise<Session> {
  sandboxOnly(ctx);
  return transition(ctx, session.merchantId, session.id, (current, now) =>
    decideChallengeCancelled(current, now, ctx.randomDigits),
  );
}

/** The session an ACS link's token names, REDIRECT or API mode alike (an API-mode card's paymentUrl is its ACS page). */
export async function sessionOfAcsToken(ctx: Context, token: string): Promise<Session | undefined> {
  const id = await ctx.tokens.verifyPageToken(token, ctx.now());
  return id ? findSessionById(ctx.db, id) : undefined;
}

// ---- API mode: confirm with paymentMethod.card.encryptedCard ----

function decryptedCard(ctx: Context, session: Session, sealedPrivateKey: string, encryptedCard: string, now: Date) {
  let entry: CardEntry;
  try {
    entry = cardOfPlaintext(ctx.cardSecrets.decrypt(session.id, sealedPrivateKey, encryptedCard));
  } catch (error) {
    if (error instanceof CardDecryptionError) throw decryptionFailed();
    throw error;
  }
  const cardIssues = cardProblems(entry, now, 'paymentMethod.card.encryptedCard.');
  if (cardIssues.length) throw Refusal.validation(cardIssues);
  return takeCard(ctx, entry);
}

const decryptionFailed = () =>
  new Refusal(
    'validation',
    'card_decryption_failed',
    "paymentMethod.card.encryptedCard could not be decrypted: encrypt the card JSON with this session's encryptionKey (RSA-OAEP, SHA-256) and send it base64",
  );

/** The JSON a merchant's page encrypts: {number, expMonth, expYear, cvc, cardHolderName?}; numbers accepted for the expiry. */
function cardOfPlaintext(plaintext: Buffer): CardEntry {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw decryptionFailed();
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : undefined);
  if (!isJsonObject(value)) throw decryptionFailed();
  const o = value;
  const [number, expMonth, expYear, cvc] = [text(o.number), text(o.expMonth), text(o.expYear), text(o.cvc)];
  if (number === undefined || expMonth === undefined || expYear === undefined || cvc === undefined) throw decryptionFailed();
  const holderName = typeof o.cardHolderName === 'string' ? o.cardHolderName : undefined;
  return { number, expMonth, expYear, cvc, ...(holderName !== undefined && { holderName }) };
}

const MAX_ATTEMPTS = 8;

/** What confirm carries of the card: encrypted with the session's key, or a saved card's token. */
export type CardSource = { encryptedCard: string } | { token: string };

/**
 * A saved card (saveForFutureUse on an earlier payment) pays for the same customer only. In the sandbox it
 * pays without a challenge, as card-on-file payments do; outside it the charge waits for the processor.
 */
async function savedCard(
  ctx: Context,
  session: Session,
  token: string,
): Promise<{ card: TakenCard; scenario: SandboxScenario | undefined }> {
  const stored = await storedCardByToken(ctx.db, session.merchantId, token);
  if (!stored || stored.customerId !== session.echo.customerId) {
    throw Refusal.field('paymentMethod.card.token', "no saved card with this token belongs to this session's customer");
  }
  const scenario =
    ctx.env === 'sandbox' ? { challenge: false, verdict: 'SUCCESS' as const, testCard: stored.card.sandboxIssuer } : undefined;
  return { card: stored.card, scenario };
}

/**
 * POST /v2/payments/{id}/confirm with an encrypted card or a saved card's token: the charge is issued and the card taken in one
 * change. A frictionless card ends PAID (or CANCELLED with its failure) at once; a challenged one is
 * PROCESSING with paymentUrl set to the sandbox ACS page the merchant sends the shopper to.
 */
export async function confirmWithCard(
  ctx: Context,
  merchant: Merchant,
  sessionId: string,
  method: MethodChoice | undefined,
  source: CardSource,
): Promise<Session> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { session, now } = await loadForAction(ctx, merchant.id, sessionId);
    assertConfirmable(session, now);

    const stored = session.paymentMethod;
    // The encrypted card rides in paymentMethod, so a confirm always names the type: without options of
    // its own it keeps the ones the session was created with (threeDsMethod, …).
    const keepsStored = stored && method && method.type === stored.type && method.options.card === undefined;
    const chosen = keepsStored ? stored : (method ?? stored);
    if (!chosen) throw Refusal.field('paymentMethod', 'paymentMethod is required: this session has no payment method yet');
    const keys = methodOf(chosen.type)?.sessionKey;
    if (!keys) throw Refusal.field('paymentMethod.card', `card data cannot pay a ${chosen.type} payment`);
    const key = stored ? keys.of(stored) : undefined;
    const problems: FieldProblem[] = checkMethod(chosen, {
      amount: session.amount,
      paymentType: session.paymentType,
      mode: session.mode,
      issuing: true,
      withCard: true,
    });
    const expiry = resolveChargeExpiry(chosen, session.expiryAt, now);
    problems.push(...expiry.problems);
    if (problems.length) throw Refusal.validation(problems);
    if (!key) {
      throw Refusal.field(
        'paymentMethod.card.encryptedCard',
        'this session has no encryptionKey: create the CARD session in API mode with autoConfirm false',
      );
    }
    const choice = keys.attach(chosen, key);
    const { card, scenario } =
      'token' in source
        ? await savedCard(ctx, session, source.token)
        : decryptedCard(ctx, session, key.sealedPrivateKey, source.encryptedCard, now);

    const issued = buildCharge(ctx, session, choice, expiry.expiryAt, merchant.name, undefined, now);
    const out = decideIssueCharge(session, choice, issued.charge, now);
    const taken = decideCardTaken(out.session, card, scenario, now, ctx.randomDigits);
    const waitingForAcs = taken.session.charges.at(-1)?.status === 'WAITING_FOR_AUTHENTICATION';
    const paymentUrl = waitingForAcs
      ? `${ctx.publicUrl}/detail/acs?token=${await ctx.tokens.issuePageToken(session.id, session.expiryAt, now)}`
      : session.paymentUrl;
    // The merchant hears where the payment ended up, not the step in between.
    const change: Change = { session: { ...taken.session, paymentUrl }, events: taken.events };
    const won = await ctx.db.transaction().execute((trx) => writeChange(ctx, trx, session, change));
    if (won) {
      changesCommitted(ctx, { before: session, change });
      return change.session;
    }
  }
  throw new Refusal('state', 'concurrent_update', 'The payment session is being changed by another request; retry');
}
