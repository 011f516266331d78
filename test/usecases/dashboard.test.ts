// Dashboard accounts, sessions and the audit log on both databases: passwords stored hashed, emails one
// account each, sessions that end when idle or old, and changes whose audit entry commits with them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardUser, checkDashboardCredentials, DashboardAccountError } from '../../src/usecases/dashboard-accounts.ts';
import {
  DEFAULT_SESSION_TIMES,
  csrfMatches,
  pickMerchant,
  sessionOf,
  signIn,
  signOut,
} from '../../src/usecases/dashboard-sessions.ts';
import { RateLimiter } from '../../src/usecases/rate-limits.ts';
import { auditLogPage } from '../../src/usecases/audit-log.ts';
import { rotateWebhookSecretBy, sendTestCallback } from '../../src/usecases/dashboard-developers.ts';
import { DB_KINDS, createTestDashboardUser, makeHarness, type Harness } from '../helpers/harness.ts';

const limits = { perAddress: { limit: 1000, windowMs: 60_000 }, perEmail: { limit: 1000, windowMs: 60_000 } };

describe.each(DB_KINDS)('dashboard use cases on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('creates users with hashed passwords; emails are one account whatever their case', async () => {
    const created = await createDashboardUser(h.store.db, { merchantId: h.merchant.id, email: 'Owner@Toko.test', role: 'owner' });
    expect(created.generated).toBe(true);
    expect(created.user.email).toBe('owner@toko.test');
    expect(created.user.passwordHash).not.toContain(created.password);
    expect(created.user.passwordHash).toMatch(/^scrypt\$/);
    expect((await checkDashboardCredentials(h.store.db, 'OWNER@toko.test', created.password))?.id).toBe(created.user.id);
    expect(await checkDashboardCredentials(h.store.db, 'owner@toko.test', 'wrong-password-123')).toBeUndefined();
    expect(await checkDashboardCredentials(h.store.db, 'nobody@toko.test', created.password)).toBeUndefined();
    await expect(
      createTestDashboardUser(h.store.db, { merchantId: h.merchant.id, email: 'owner@toko.test', role: 'viewer' }),
    ).rejects.toThrow(/already exists/);
  });

  it('refuses accounts that make no sense', async () => {
    const bad = [
      { email: 'a@b.test', role: 'king', merchantId: h.merchant.id },
      { email: 'a@b.test', role: 'owner' },
      { email: 'a@b.test', role: 'operator', merchantId: h.merchant.id },
      { email: 'a@b.test', role: 'viewer', merchantId: 'no-such-merchant' },
      { email: 'not an email', role: 'viewer', merchantId: h.merchant.id },
      { email: 'short@b.test', role: 'viewer', merchantId: h.merchant.id, password: 'short' },
    ];
    for (const options of bad) await expect(createTestDashboardUser(h.store.db, options)).rejects.toThrow(DashboardAccountError);
    const operator = await createTestDashboardUser(h.store.db, { email: 'ops@platform.test', role: 'operator' });
    expect(operator.user.merchantId).toBeNull();
  });

  it('a session ends after the idle timeout and after its lifetime; sign-out ends it at once', async () => {
    const { password } = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'idle@toko.test',
      role: 'viewer',
    });
    const limiter = new RateLimiter();
    const times = { idleMs: 10 * 60_000, lifetimeMs: 60 * 60_000 };
    const attempt = { address: '192.0.2.1', email: 'idle@toko.test', password };
    const first = await signIn(h.ctx, limiter, limits, times, attempt);
    if (first.kind !== 'signed-in') throw new Error(`not signed in: ${first.kind}`);
    const seen = await sessionOf(h.ctx, times, first.sessionId);
    expect(seen?.user.email).toBe('idle@toko.test');
    expect(seen?.merchant?.id).toBe(h.merchant.id);
    expect(csrfMatches(seen!, seen!.csrfToken)).toBe(true);
    expect(csrfMatches(seen!, `${seen!.csrfToken}x`)).toBe(false);
    expect(csrfMatches(seen!, undefined)).toBe(false);
    // Activity keeps it alive past the idle time…
    for (let i = 0; i < 5; i++) {
      h.clock.advance(9 * 60_000);
      expect(await sessionOf(h.ctx, times, first.sessionId)).toBeDefined();
    }
    // …but not past its lifetime.
    h.clock.advance(9 * 60_000);
    h.clock.advance(9 * 60_000);
    expect(await sessionOf(h.ctx, times, first.sessionId)).toBeUndefined();

    const second = await signIn(h.ctx, limiter, limits, times, attempt);
    if (second.kind !== 'signed-in') throw new Error('not signed in');
    h.clock.advance(10 * 60_000);
    expect(await sessionOf(h.ctx, times, second.sessionId)).toBeUndefined();

    const third = await signIn(h.ctx, limiter, limits, times, attempt);
    if (third.kind !== 'signed-in') throw new Error('not signed in');
    await signOut(h.ctx, third.sessionId);
    expect(await sessionOf(h.ctx, times, third.sessionId)).toBeUndefined();
    // The cookie's id is not what the database keeps.
    const rows = await h.store.db.selectFrom('dashboard_sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(third.sessionId);
  });

  it('sign-in attempts are limited per email, counted in the database', async () => {
    const { password } = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'limit@toko.test',
      role: 'viewer',
    });
    const tight = { perAddress: { limit: 100, windowMs: 60_000 }, perEmail: { limit: 3, windowMs: 60_000 } };
    const limiter = new RateLimiter();
    for (let i = 0; i < 3; i++) {
      const r = await signIn(h.ctx, limiter, tight, DEFAULT_SESSION_TIMES, {
        address: `198.51.100.${i}`,
        email: 'limit@toko.test',
        password: 'wrong-wrong-wrong',
      });
      expect(r.kind).toBe('refused');
    }
    // A fourth, even with the right password and from another instance's limiter, is limited.
    const limited = await signIn(h.ctx, new RateLimiter(), tight, DEFAULT_SESSION_TIMES, {
      address: '198.51.100.9',
      email: 'LIMIT@toko.test',
      password,
    });
    expect(limited.kind).toBe('limited');
    h.clock.advance(60_000);
    expect(
      (
        await signIn(h.ctx, new RateLimiter(), tight, DEFAULT_SESSION_TIMES, {
          address: '198.51.100.9',
          email: 'limit@toko.test',
          password,
        })
      ).kind,
    ).toBe('signed-in');
  });

  it('an operator picks any existing merchant; a merchant user cannot pick', async () => {
    const other = await h.otherMerchant();
    const op = await createTestDashboardUser(h.store.db, { email: 'pick@platform.test', role: 'operator' });
    const owner = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'pick-owner@toko.test',
      role: 'owner',
    });
    const signed = async (email: string, password: string) => {
      const r = await signIn(h.ctx, new RateLimiter(), limits, DEFAULT_SESSION_TIMES, {
        address: '203.0.113.5',
        email,
        password,
      });
      if (r.kind !== 'signed-in') throw new Error('not signed in');
      return (await sessionOf(h.ctx, DEFAULT_SESSION_TIMES, r.sessionId))!;
    };
    const opSession = await signed('pick@platform.test', op.password);
    expect(opSession.merchant).toBeNull();
    expect(await pickMerchant(h.ctx, opSession, 'no-such')).toBe(false);
    expect(await pickMerchant(h.ctx, opSession, other.merchant.id)).toBe(true);
    expect((await sessionOf(h.ctx, DEFAULT_SESSION_TIMES, opSession.sessionId))?.merchant?.id).toBe(other.merchant.id);
    const ownerSession = await signed('pick-owner@toko.test', owner.password);
    expect(await pickMerchant(h.ctx, ownerSession, other.merchant.id)).toBe(false);
    expect((await sessionOf(h.ctx, DEFAULT_SESSION_TIMES, ownerSession.sessionId))?.merchant?.id).toBe(h.merchant.id);
  });

  it('a change and its audit entry commit together; entries are per merchant, newest first', async () => {
    const actor = { kind: 'user' as const, id: 'u1', email: 'owner@toko.test' };
    const before = h.merchant.webhookSecret;
    const rotated = await rotateWebhookSecretBy(h.ctx, actor, h.merchant.id, 3_600_000);
    expect(rotated.webhookSecret).not.toBe(before);
    expect(rotated.previousWebhookSecret).toBe(before);
    h.clock.advance(1000);
    await h.store.db
      .updateTable('merchants')
      .set({ callback_url: 'http://127.0.0.1:9/cb' })
      .where('id', '=', h.merchant.id)
      .execute();
    const callbackId = await sendTestCallback(h.ctx, actor, h.merchant.id);
    const row = await h.store.db.selectFrom('callbacks').selectAll().where('id', '=', callbackId).executeTakeFirstOrThrow();
    expect(row.event).toBe('PAYMENT.TEST');
    expect(JSON.parse(row.payload)).toMatchObject({ event: 'PAYMENT.TEST', data: { status: 'PAID' } });

    // A failing change writes no audit entry.
    await expect(rotateWebhookSecretBy(h.ctx, actor, 'no-such-merchant', 0)).rejects.toThrow();
    const page = await auditLogPage(h.ctx, h.merchant.id, { page: 1, perPage: 10 });
    expect(page.entries.map((e) => e.action)).toEqual(['callback.test', 'webhook_secret.rotate']);
    expect(page.entries[1]).toMatchObject({
      actor,
      resource: { type: 'merchant', id: h.merchant.id },
      detail: { overlapSeconds: 3600 },
    });
    const other = await h.otherMerchant();
    expect((await auditLogPage(h.ctx, other.merchant.id, { page: 1, perPage: 10 })).entries).toEqual([]);
    expect((await auditLogPage(h.ctx, undefined, { page: 1, perPage: 10 })).pagination.totalItems).toBeGreaterThanOrEqual(2);
  });
});
