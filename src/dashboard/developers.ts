// The Developers screen: the merchant's credentials and callback settings, and the actions on them (rotate
// the client secret, the webhook secret and the callback API key, set the callback URL, send a test
// callback). Each action goes through a use case that writes its audit entry with the user.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardAction } from '../domain/dashboard-roles.ts';
import type { SignedIn } from '../usecases/dashboard-sessions.ts';
import {
  CallbackUrlError,
  NoCallbackUrlError,
  developerSettings,
  rotateCallbackApiKeyBy,
  rotateClientSecretBy,
  rotateWebhookSecretBy,
  sendTestCallback,
  setCallbackUrlBy,
} from '../usecases/dashboard-developers.ts';
import type { DashboardKit } from './plugin.ts';
import { OVERLAP_CHOICES, developersPage, type DevelopersNotice } from './views.ts';

type Translate = ReturnType<DashboardKit['viewEnv']>['t'];

export function developersScreen(app: FastifyInstance, kit: DashboardKit): void {
  const { ctx } = kit;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    signed: SignedIn,
    merchantId: string,
    notice?: DevelopersNotice,
    status = 200,
  ) {
    const current = await developerSettings(ctx, merchantId);
    return kit.send(reply, developersPage(kit.shell(request, reply, signed, 'developers'), current, notice), status);
  }

  app.get('/developers', { schema: { hide: true } }, async (request, reply) => {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, 'developers.read');
    const merchantId = kit.merchantOf(signed, reply);
    if (!merchantId) return reply;
    return render(request, reply, signed, merchantId);
  });

  /** A Developers-screen POST: signed in, CSRF checked, allowed, on the session's merchant. */
  function action(
    path: string,
    allowed: DashboardAction,
    act: (
      signed: SignedIn,
      merchantId: string,
      request: FastifyRequest,
      t: Translate,
    ) => Promise<{ notice: DevelopersNotice; status?: number }>,
  ) {
    app.post(`/developers/${path}`, { schema: { hide: true } }, async (request, reply) => {
      const signed = await kit.requireUser(request);
      kit.requireRole(signed, allowed);
      const merchantId = kit.merchantOf(signed, reply);
      if (!merchantId) return reply;
      const { notice, status } = await act(signed, merchantId, request, kit.viewEnv(request, reply).t);
      // Answered with the page itself, not a redirect: a secret is shown this once and never stored to show again.
      return render(request, reply, signed, merchantId, notice, status);
    });
  }

  action('client-secret', 'credentials.rotate', async (signed, merchantId, _request, t) => ({
    notice: {
      kind: 'secret',
      text: t('newClientSecret'),
      secret: await rotateClientSecretBy(ctx, kit.actorOf(signed), merchantId),
    },
  }));

  action('webhook-secret', 'credentials.rotate', async (signed, merchantId, request, t) => {
    const overlapMs = Number(kit.field(request, 'overlapMs'));
    if (!OVERLAP_CHOICES.some((choice) => choice === overlapMs)) kit.refuse(400, 'errorRequest');
    const merchant = await rotateWebhookSecretBy(ctx, kit.actorOf(signed), merchantId, overlapMs);
    return { notice: { kind: 'secret', text: t('newWebhookSecret'), secret: merchant.webhookSecret } };
  });

  action('callback-api-key', 'credentials.rotate', async (signed, merchantId, _request, t) => {
    await rotateCallbackApiKeyBy(ctx, kit.actorOf(signed), merchantId);
    return { notice: { kind: 'info', text: t('callbackApiKeyRotated') } };
  });

  action('callback-url', 'developers.set-callback-url', async (signed, merchantId, request, t) => {
    const url = (kit.field(request, 'callbackUrl') ?? '').trim();
    try {
      if (url.length > 2048) throw new CallbackUrlError('The callback URL is longer than 2048 characters');
      await setCallbackUrlBy(ctx, kit.actorOf(signed), merchantId, url, kit.callbackUrlCheck);
    } catch (error) {
      if (!(error instanceof CallbackUrlError)) throw error;
      return { notice: { kind: 'error', text: t('callbackUrlInvalid', { problem: error.message }) }, status: 422 };
    }
    return { notice: { kind: 'info', text: t('callbackUrlSaved') } };
  });

  action('test-callback', 'developers.test-callback', async (signed, merchantId, _request, t) => {
    try {
      const id = await sendTestCallback(ctx, kit.actorOf(signed), merchantId);
      return { notice: { kind: 'info', text: t('testCallbackQueued', { id }) } };
    } catch (error) {
      if (!(error instanceof NoCallbackUrlError)) throw error;
      return { notice: { kind: 'error', text: t('testCallbackNoUrl') }, status: 409 };
    }
  });
}
