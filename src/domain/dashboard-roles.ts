// Who may do what on the dashboard: the one table every dashboard route and use case asks. Merchant users
// act only on their own merchant; operators (a platform team) act on whichever merchant they picked.
import { isOneOf } from './json.ts';
export const DASHBOARD_ROLES = ['owner', 'developer', 'viewer', 'operator'] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];
/** The roles that belong to one merchant; an operator belongs to none. */
export const MERCHANT_ROLES = ['owner', 'developer', 'viewer'] as const satisfies readonly DashboardRole[];

export function isDashboardRole(value: unknown): value is DashboardRole {
  return isOneOf(DASHBOARD_ROLES, value);
}

export type DashboardAction =
  /** Client id, callback URL, callback API key, whether a webhook secret is overlapping. */
  | 'developers.read'
  | 'developers.test-callback'
  | 'developers.set-callback-url'
  /** The callback API key itself (receivers compare it): not for viewers. */
  | 'credentials.read'
  /** Client secret, webhook signing secret, callback API key: anything that hands out a credential. */
  | 'credentials.rotate'
  | 'audit.read'
  /** The Overview's numbers and charts. */
  | 'overview.read'
  /** Undelivered callbacks, their reasons. */
  | 'callbacks.read'
  /** Resend one undelivered callback, or all of a filter. */
  | 'callbacks.resend'
  | 'merchant.pick'
  /** Payments: list, search, CSV, a payment's timeline and the merchant's data. */
  | 'payments.read'
  | 'payments.resend-callback'
  | 'payments.simulate'
  | 'payments.refund'
  /** Cancelling and capturing decide whether the shopper pays: business calls, not a developer's. */
  | 'payments.cancel'
  | 'payments.capture';

const TABLE: Record<DashboardAction, readonly DashboardRole[]> = {
  'developers.read': ['owner', 'developer', 'viewer', 'operator'],
  'developers.test-callback': ['owner', 'developer', 'operator'],
  'developers.set-callback-url': ['owner', 'developer', 'operator'],
  'credentials.read': ['owner', 'developer', 'operator'],
  'credentials.rotate': ['owner', 'operator'],
  'audit.read': ['owner', 'operator'],
  'overview.read': ['owner', 'developer', 'viewer', 'operator'],
  'callbacks.read': ['owner', 'developer', 'viewer', 'operator'],
  'callbacks.resend': ['owner', 'developer', 'operator'],
  'merchant.pick': ['operator'],
  'payments.read': ['owner', 'developer', 'viewer', 'operator'],
  'payments.resend-callback': ['owner', 'developer', 'operator'],
  'payments.simulate': ['owner', 'developer', 'operator'],
  'payments.refund': ['owner', 'developer', 'operator'],
  'payments.cancel': ['owner', 'operator'],
  'payments.capture': ['owner', 'operator'],
};

export function can(role: DashboardRole, action: DashboardAction): boolean {
  return TABLE[action].includes(role);
}
