// Dashboard accounts: created by the CLI (or, on an empty sandbox, for the seeded merchant), each with an
// email and a password hashed like merchant secrets; sign-in checks spend the hashing time even for an
// unknown email, so timing does not tell which emails have accounts.
import { isDashboardRole, type DashboardRole } from '../domain/dashboard-roles.ts';
import { hashSecret, randomToken, verifySecret, NO_SUCH_HASH, type HashCost } from '../security/secrets.ts';
import { isUniqueViolation } from '../store/database.ts';
import { countDashboardUsers, findDashboardUserByEmail, insertDashboardUser, type DashboardUser } from '../store/dashboard.ts';
import { findMerchant } from '../store/merchants.ts';
import type { Database } from '../store/schema.ts';
import { newRecordId } from './context.ts';

export type { DashboardUser };

/** Why an account cannot be created as asked; the message says what to change. */
export class DashboardAccountError extends Error {}

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 200;
// Deliberately loose (one @, no spaces, a dot in the domain): the address is a login name, not a mailbox
// Kasir writes to.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** Emails compare without case: Owner@Shop.id and owner@shop.id are one account. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function emailProblem(email: string): string | undefined {
  if (email.length > 254 || !EMAIL.test(email)) return 'must be an email address';
  return undefined;
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

export interface NewDashboardUser {
  user: DashboardUser;
  /** Shown once when generated; only its hash is stored. */
  password: string;
  generated: boolean;
}

export async function createDashboardUser(
  db: Database,
  options: {
    merchantId?: string;
    email: string;
    role: string;
    password?: string;
    /** The password's hash cost; Kasir's own (SECRET_HASH_COST) unless a test asks for a cheaper one. */
    hashCost?: HashCost;
  },
  now = new Date(),
): Promise<NewDashboardUser> {
  const role = options.role;
  if (!isDashboardRole(role)) throw new DashboardAccountError('--role must be owner, developer, viewer or operator');
  const merchantId = role === 'operator' ? null : (options.merchantId ?? null);
  if (role === 'operator' && options.merchantId !== undefined)
    throw new DashboardAccountError('an operator sees every merchant: leave out --merchant');
  if (role !== 'operator') {
    if (merchantId === null) throw new DashboardAccountError(`a ${role} belongs to one merchant: --merchant is required`);
    if (!(await findMerchant(db, merchantId))) throw new DashboardAccountError(`No merchant with id ${merchantId}`);
  }
  const email = normalizeEmail(options.email);
  const badEmail = emailProblem(email);
  if (badEmail) throw new DashboardAccountError(`The email ${badEmail}`);
  const generated = options.password === undefined;
  const password = options.password ?? randomToken(18);
  const badPassword = passwordProblem(password);
  if (badPassword) throw new DashboardAccountError(`The password ${badPassword}`);
  const user: DashboardUser = {
    id: newRecordId(now.getTime()),
    merchantId,
    email,
    role: role satisfies DashboardRole,
    passwordHash: await hashSecret(password, options.hashCost),
    createdAt: now,
  };
  try {
    await insertDashboardUser(db, user);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DashboardAccountError(`A dashboard user with email ${email} already exists`);
    throw error;
  }
  return { user, password, generated };
}

/** The user these credentials name, or undefined. Always spends the hashing time. */
export async function checkDashboardCredentials(
  db: Database,
  rawEmail: string,
  password: string,
): Promise<DashboardUser | undefined> {
  const email = normalizeEmail(rawEmail);
  const user = email.length <= 254 ? await findDashboardUserByEmail(db, email) : undefined;
  const ok = await verifySecret(password.slice(0, MAX_PASSWORD_LENGTH), user?.passwordHash ?? NO_SUCH_HASH);
  return user && ok ? user : undefined;
}

/**
 * On the first start of an empty sandbox: an owner for the merchant just generated, printed once with the
 * merchant's credentials. Undefined when any dashboard user exists already.
 */
export async function seedDashboardOwner(db: Database, merchantId: string): Promise<NewDashboardUser | undefined> {
  if ((await countDashboardUsers(db)) > 0) return undefined;
  return createDashboardUser(db, { merchantId, email: 'owner@sandbox.kasir.test', role: 'owner' });
}
