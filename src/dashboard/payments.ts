// The Payments screens' routes (issue 11 §2): the list (GET form, keyset pages), its CSV export, one
// payment's page, and its actions. Each action is a POST with the CSRF token (checked by kit.requireUser),
// asks the role table, calls the use case the API uses (usecases/dashboard-payments.ts, which writes the
// audit entry), then redirects back with a notice (303) or shows the refusal on the same page (4xx).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardAction } from '../domain/dashboard-roles.ts';
import { VA_CHANNELS } from '../domain/payment-methods.ts';
import { Refusal, type RefusalKind } from '../domain/refusal.ts';
import { MERCHANT_CANCELLATION_REASONS, REFUND_REASONS, SIMULATION_OUTCOMES, type RefundReason } from '../domain/statuses.ts';
import { randomToken } from '../security/secrets.ts';
import { exportPaymentsCsv, paymentSearchFromQuery, searchPayments, type PaymentSearch } from '../usecases/dashboard/payments.ts';
import { paymentTimeline } from '../usecases/dashboard/timeline.ts';
import {
  cancelPaymentBy,
  capturePaymentBy,
  refundPaymentBy,
  resendPaymentCallbackBy,
  simulatePaymentBy,
  type RefundForm,
} from '../usecases/dashboard-payments.ts';
import type { SignedIn } from '../usecases/dashboard-sessions.ts';
import type { MessageKey } from './i18n.ts';
import { paymentDetailPage } from './payment-detail-views.ts';
import { FILTER_NAMES, paymentsListPage, type FilterValues, type Notice } from './payment-views.ts';
import type { DashboardKit } from './plugin.ts';

const PER_PAGE = 25;
/** Earlier pages a "previous" link can walk back through; beyond that it starts again at the first page. */
const MAX_TRAIL = 40;
const FIRST_PAGE = '-';
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const SESSION_ID = /^[\x21-\x7e]{1,100}$/;
const REFERENCE = /^[A-Za-z0-9._:-]{1,100}$/;
const AMOUNT = /^[0-9]{1,15}$/;

const HTTP_STATUS: Record<RefusalKind, number> = {
  validation: 400,
  state: 422,
  not_found: 404,
  duplicate: 409,
  idempotency: 409,
};

type Action = 'cancel' | 'capture' | 'refund' | 'simulate' | 'resend';
const DONE: Record<Action, MessageKey> = {
  cancel: 'doneCancel',
  capture: 'doneCapture',
  refund: 'doneRefund',
  simulate: 'doneSimulate',
  resend: 'doneResend',
};
const isAction = (value: string | undefined): value is Action => value !== undefined && Object.hasOwn(DONE, value);

/** A form field the dashboard refuses on the same page (400), with a message in the user's language. */
class FormProblem extends Error {
  constructor(readonly messageKey: MessageKey) {
    super(messageKey);
  }
}

/** A whole positive number of Rupiah, digits only (0 too where `zero` says so); empty is "not given". */
function amountField(text: string | undefined, zero = false): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!AMOUNT.test(text) || Number(text) < (zero ? 0 : 1)) throw new FormProblem('actAmountInvalid');
  return Number(text);
}

function oneOf<T extends string>(values: readonly T[], text: string | undefined): T | undefined {
  return values.find((v) => v === text);
}

export function paymentsScreen(app: FastifyInstance, kit: DashboardKit): void {
  const { ctx } = kit;

  /** The signed-in user allowed to do `action`, and the merchant they look at; undefined once redirected. */
  async function entry(request: FastifyRequest, reply: FastifyReply, action: DashboardAction) {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, action);
    const merchantId = kit.merchantOf(signed, reply);
    return merchantId === undefined ? undefined : { signed, merchantId };
  }

  function filtersOf(request: FastifyRequest): FilterValues {
    const filters: FilterValues = {};
    for (const name of FILTER_NAMES) {
      const value = kit.query(request, name);
      if (value !== undefined && value !== '') filters[name] = value.slice(0, 300);
    }
    return filters;
  }

  /** The search the filters ask for, or a 400 page naming every bad field. */
  function searchOf(filters: FilterValues): PaymentSearch | { problems: string } {
    try {
      return paymentSearchFromQuery(filters);
    } catch (error) {
      if (!(error instanceof Refusal) || error.kind !== 'validation') throw error;
      return { problems: error.details.map((d) => d.message).join('; ') };
    }
  }

  app.get('/payments', { schema: { hide: true } }, async (request, reply) => {
    const found = await entry(request, reply, 'payments.read');
    if (!found) return reply;
    const s = kit.shell(request, reply, found.signed, 'payments');
    const filters = filtersOf(request);
    const noPages = { previous: null, next: null };
    const refused = (problems: string) =>
      kit.send(
        reply,
        paymentsListPage(s, filters, null, noPages, { kind: 'error', text: s.t('payFilterInvalid', { problems }) }),
        400,
      );
    const search = searchOf(filters);
    if ('problems' in search) return refused(search.problems);

    const cursor = kit.query(request, 'cursor') || undefined;
    const trail = (kit.query(request, 'trail') ?? '').split('.').filter((c) => c !== '');
    if (cursor !== undefined && !CURSOR.test(cursor)) return refused('cursor is not one this list gave out');
    if (trail.some((c) => c !== FIRST_PAGE && !CURSOR.test(c))) return refused('trail is not one this list gave out');
    let page;
    try {
      page = await searchPayments(ctx, found.merchantId, search, { ...(cursor !== undefined && { cursor }), limit: PER_PAGE });
    } catch (error) {
      if (!(error instanceof Refusal) || error.kind !== 'validation') throw error;
      return refused(error.details.map((d) => d.message).join('; '));
    }
    const link = (at: string | undefined, before: string[]) => {
      const params = new URLSearchParams();
      for (const name of FILTER_NAMES) if (filters[name]) params.set(name, filters[name]);
      if (at !== undefined && at !== FIRST_PAGE) params.set('cursor', at);
      if (before.length) params.set('trail', before.slice(-MAX_TRAIL).join('.'));
      return params.toString();
    };
    const back = trail[trail.length - 1];
    const pager = {
      previous: cursor === undefined ? null : link(back ?? FIRST_PAGE, trail.slice(0, -1)),
      next: page.nextCursor === null ? null : link(page.nextCursor, [...trail, cursor ?? FIRST_PAGE]),
    };
    return kit.send(reply, paymentsListPage(s, filters, page.payments, pager));
  });

  app.get('/payments.csv', { schema: { hide: true } }, async (request, reply) => {
    const found = await entry(request, reply, 'payments.read');
    if (!found) return reply;
    const filters = filtersOf(request);
    const search = searchOf(filters);
    if ('problems' in search) {
      const s = kit.shell(request, reply, found.signed, 'payments');
      const notice: Notice = { kind: 'error', text: s.t('payFilterInvalid', { problems: search.problems }) };
      return kit.send(reply, paymentsListPage(s, filters, null, { previous: null, next: null }, notice), 400);
    }
    const day = ctx.now().toISOString().slice(0, 10);
    // Streamed a chunk of rows at a time: an export of every payment never sits in memory whole.
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="payments-${day}.csv"`)
      .send(Readable.from(exportPaymentsCsv(ctx, found.merchantId, search)));
  });

  function sessionIdOf(request: FastifyRequest<{ Params: { id: string } }>): string {
    const id = request.params.id;
    if (!SESSION_ID.test(id)) kit.refuse(404, 'errorNotFound');
    return id;
  }

  async function renderDetail(
    request: FastifyRequest,
    reply: FastifyReply,
    signed: SignedIn,
    merchantId: string,
    sessionId: string,
    notice?: Notice,
    status = 200,
  ) {
    let timeline;
    try {
      timeline = await paymentTimeline(ctx, merchantId, sessionId);
    } catch (error) {
      if (error instanceof Refusal && error.kind === 'not_found') kit.refuse(404, 'errorNotFound');
      throw error;
    }
    const s = kit.shell(request, reply, signed, 'payments');
    const refundReference = `DASH-${ctx.now().getTime().toString(36)}-${randomToken(6)}`.slice(0, 100);
    return kit.send(reply, paymentDetailPage(s, timeline, { refundReference }, notice), status);
  }

  app.get<{ Params: { id: string } }>('/payments/:id', { schema: { hide: true } }, async (request, reply) => {
    const found = await entry(request, reply, 'payments.read');
    if (!found) return reply;
    const sessionId = sessionIdOf(request);
    const done = kit.query(request, 'done');
    const ref = kit.query(request, 'ref');
    const t = kit.viewEnv(request, reply).t;
    const notice: Notice | undefined = isAction(done)
      ? { kind: 'info', text: t(DONE[done], { id: ref !== undefined && REFERENCE.test(ref) ? ref : '' }) }
      : undefined;
    return renderDetail(request, reply, found.signed, found.merchantId, sessionId, notice);
  });

  /** A payment action: allowed, on this merchant's payment; its result as a notice after a redirect. */
  function action(
    name: Action,
    role: DashboardAction,
    act: (request: FastifyRequest, signed: SignedIn, merchantId: string, sessionId: string) => Promise<string | undefined>,
  ) {
    app.post<{ Params: { id: string } }>(`/payments/:id/${name}`, { schema: { hide: true } }, async (request, reply) => {
      const found = await entry(request, reply, role);
      if (!found) return reply;
      const sessionId = sessionIdOf(request);
      const t = kit.viewEnv(request, reply).t;
      try {
        const resultId = await act(request, found.signed, found.merchantId, sessionId);
        const params = new URLSearchParams({ done: name, ...(resultId !== undefined && { ref: resultId }) });
        return reply.redirect(`/dashboard/payments/${encodeURIComponent(sessionId)}?${params.toString()}`, 303);
      } catch (error) {
        let notice: Notice;
        let status: number;
        if (error instanceof FormProblem) [notice, status] = [{ kind: 'error', text: t(error.messageKey) }, 400];
        else if (error instanceof Refusal && error.kind !== 'not_found') {
          const detail = error.details.map((d) => d.message).join('; ');
          notice = { kind: 'error', text: t('actRefused', { message: detail || error.message }) };
          status = HTTP_STATUS[error.kind];
        } else if (error instanceof Refusal) kit.refuse(404, 'errorNotFound');
        else throw error;
        return renderDetail(request, reply, found.signed, found.merchantId, sessionId, notice, status);
      }
    });
  }

  action('cancel', 'payments.cancel', async (request, signed, merchantId, sessionId) => {
    const reason = oneOf(MERCHANT_CANCELLATION_REASONS, kit.field(request, 'reason'));
    if (!reason) kit.refuse(400, 'errorRequest');
    await cancelPaymentBy(ctx, kit.actorOf(signed), merchantId, sessionId, reason);
    return undefined;
  });

  action('capture', 'payments.capture', async (request, signed, merchantId, sessionId) => {
    // 0 with "release" only lets the rest of the authorization go (pivot-api §5.7).
    const amount = amountField(kit.field(request, 'amount'), true);
    const capture = await capturePaymentBy(ctx, kit.actorOf(signed), merchantId, sessionId, {
      ...(amount !== undefined && { amount }),
      releaseRemainingAmount: kit.field(request, 'release') === '1',
    });
    return capture.id;
  });

  action('refund', 'payments.refund', async (request, signed, merchantId, sessionId) => {
    const clientReferenceId = kit.field(request, 'clientReferenceId') ?? '';
    const reason: RefundReason | undefined = oneOf(REFUND_REASONS, kit.field(request, 'reason'));
    const kind = kit.field(request, 'kind');
    if (!REFERENCE.test(clientReferenceId) || !reason || (kind !== 'full' && kind !== 'partial')) {
      kit.refuse(400, 'errorRequest');
    }
    const amount = amountField(kit.field(request, 'amount'));
    if (kind === 'partial' && amount === undefined) throw new FormProblem('actAmountRequired');
    if (kind === 'full' && amount !== undefined) throw new FormProblem('actAmountWithFull');
    const chargeId = kit.field(request, 'chargeId');
    if (chargeId !== undefined && !SESSION_ID.test(chargeId)) kit.refuse(400, 'errorRequest');
    const form: RefundForm = {
      clientReferenceId,
      reason,
      ...(amount !== undefined && { amount }),
      ...(chargeId !== undefined && { chargeId }),
    };
    const destination = destinationOf(request);
    if (destination) form.transferDestination = destination;
    const { refund } = await refundPaymentBy(ctx, kit.actorOf(signed), merchantId, sessionId, form);
    return refund.id;
  });

  /** Where a bank transfer goes: all three fields or none (then the use case decides whether one is needed). */
  function destinationOf(request: FastifyRequest): RefundForm['transferDestination'] {
    const channelCode = kit.field(request, 'channelCode') ?? '';
    const accountNumber = (kit.field(request, 'accountNumber') ?? '').trim();
    const accountName = (kit.field(request, 'accountName') ?? '').trim();
    if (!accountNumber && !accountName) return undefined;
    const bank = oneOf(VA_CHANNELS, channelCode);
    if (!bank || !/^[0-9]{4,30}$/.test(accountNumber) || accountName.length < 1 || accountName.length > 50) {
      throw new FormProblem('actDestinationInvalid');
    }
    return { channelCode: bank, channelInformation: { accountNumber, accountName } };
  }

  action('simulate', 'payments.simulate', async (request, signed, merchantId, sessionId) => {
    const outcome = oneOf(SIMULATION_OUTCOMES, kit.field(request, 'outcome'));
    if (!outcome) kit.refuse(400, 'errorRequest');
    const amount = amountField(kit.field(request, 'amount'));
    await simulatePaymentBy(ctx, kit.actorOf(signed), merchantId, sessionId, outcome, amount);
    return undefined;
  });

  action('resend', 'payments.resend-callback', async (request, signed, merchantId, sessionId) => {
    const callbackId = kit.field(request, 'callbackId') ?? '';
    if (!SESSION_ID.test(callbackId)) kit.refuse(400, 'errorRequest');
    await resendPaymentCallbackBy(ctx, kit.actorOf(signed), merchantId, sessionId, callbackId);
    return callbackId;
  });
}
