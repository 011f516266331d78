// A browser stand-in for the dashboard: signs in through the real form (its CSRF cookie and field), keeps
// the session cookie, reads each page's CSRF token and posts forms with it.
import { expect } from 'vitest';
import type { DashboardRole } from '../../src/domain/dashboard-roles.ts';
import { createTestDashboardUser, type Harness } from '../helpers/harness.ts';

export interface Page {
  status: number;
  body: string;
  headers: Record<string, unknown>;
  location?: string;
  setCookies: string[];
}

function toPage(res: { statusCode: number; body: string; headers: Record<string, unknown> }): Page {
  const raw = res.headers['set-cookie'];
  const setCookies = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
  return { status: res.statusCode, body: res.body, headers: res.headers, location, setCookies };
}

export function cookieValue(page: Page, name: string): string | undefined {
  const line = page.setCookies.find((c) => c.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0];
}

export function csrfOf(body: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error('no CSRF field on the page');
  return token;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly h: Harness) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(page: Page) {
    for (const line of page.setCookies) {
      const [pair = '', ...attrs] = line.split('; ');
      const [name = '', value = ''] = pair.split('=');
      if (attrs.includes('Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    const res = await this.h.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } });
    const page = toPage(res);
    this.remember(page);
    return page;
  }

  async post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const res = await this.h.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://kasir.test',
        ...headers,
      },
      payload: new URLSearchParams(fields).toString(),
    });
    const page = toPage(res);
    this.remember(page);
    return page;
  }

  /** Posts a form of the page at `from`, with that page's CSRF token. */
  async submit(from: string, url: string, fields: Record<string, string> = {}): Promise<Page> {
    const page = await this.get(from);
    expect(page.status).toBe(200);
    return this.post(url, { csrf: csrfOf(page.body), ...fields });
  }

  async signIn(email: string, password: string): Promise<Page> {
    const form = await this.get('/dashboard/sign-in');
    return this.post('/dashboard/sign-in', { csrf: csrfOf(form.body), email, password });
  }
}

let userCount = 0;

/** A user of `role` (of the harness's merchant unless given), signed in in a fresh browser. */
export async function signedIn(h: Harness, role: DashboardRole, merchantId: string | undefined = h.merchant.id) {
  const email = `${role}${userCount++}@toko.test`;
  const { password, user } = await createTestDashboardUser(h.store.db, {
    email,
    role,
    ...(role !== 'operator' && { merchantId }),
  });
  const browser = new Browser(h);
  const res = await browser.signIn(email, password);
  expect(res.status).toBe(303);
  return { browser, user, password, email };
}
