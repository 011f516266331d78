// Issuing a charge: a VA number reserved for this session, or a dynamic QRIS payload for its amount.
import { createHash } from 'node:crypto';
import { buildDynamicQris, buildStaticQris } from '../domain/qris.ts';
import type { Charge, MethodChoice, Session } from '../domain/session.ts';
import { proposeVaNumber } from '../domain/va-number.ts';
import { Refusal } from '../domain/refusal.ts';
import { isPastExpiry } from '../domain/session-state.ts';
import { findSessionById, findVaHolder } from '../store/sessions.ts';
import type { Context } from './context.ts';
import { recordExpiry } from './persist.ts';

/** Sandbox acquirer identity for QRIS payloads: fictional ids, stable per merchant. */
function qrisMerchantIds(merchantId: string) {
  const digits = BigInt('0x' + createHash('sha256').update(merchantId).digest('hex').slice(0, 15)).toString().padStart(13, '0');
  return {
    acquirerGuid: 'ID.CO.KASIR.WWW',
    merchantPan: `93600490${digits.slice(0, 11)}`,
    acquirerMerchantId: `KSR${digits.slice(0, 12)}`,
    nationalMerchantId: `ID${digits.slice(0, 13)}`,
  };
}

function asciiName(...candidates: string[]): string {
  for (const candidate of candidates) {
    const ascii = candidate.normalize('NFKD').replace(/[^\x20-\x7E]/g, '').replace(/\|/g, '').trim();
    if (/[A-Za-z0-9]/.test(ascii)) return ascii.slice(0, 25);
  }
  return 'KASIR MERCHANT';
}

export interface IssuedCharge {
  charge: Charge;
  /** Set for VA charges: the number the store must reserve for this session. */
  vaNumber?: { channel: string; number: string };
}

export function buildCharge(
  ctx: Context,
  session: Session,
  choice: MethodChoice,
  expiryAt: Date | null,
  merchantName: string,
  now: Date,
): IssuedCharge {
  const base = {
    id: ctx.newId(),
    status: 'WAITING_FOR_USER_ACTION' as const,
    amount: session.amount,
    statementDescriptor: session.statementDescriptor,
    createdAt: now,
    updatedAt: now,
    paidAt: null,
  };
  if (choice.type === 'VIRTUAL_ACCOUNT') {
    const options = choice.options.virtualAccount!;
    const channel = options.channel!;
    const number = options.virtualAccountNumber ?? proposeVaNumber(channel, ctx.randomDigits);
    const name = options.virtualAccountName ?? `Kasir - ${session.statementDescriptor}`;
    return {
      charge: { ...base, virtualAccount: { channel, virtualAccountNumber: number, virtualAccountName: name, expiryAt } },
      vaNumber: { channel, number },
    };
  }
  const name = asciiName(session.statementDescriptor, merchantName);
  const identity = {
    ...qrisMerchantIds(session.merchantId),
    merchantCriteria: 'URE' as const,
    merchantCategoryCode: '5399',
    merchantName: name,
    merchantCity: 'JAKARTA',
    postalCode: '10110',
    billNumber: session.clientReferenceId.slice(0, 25),
    referenceLabel: session.id.replace(/-/g, '').slice(0, 25),
    terminalLabel: 'KASIR',
  };
  // An open-amount MULTIPLE session gets a static QR; everything else a dynamic one for its exact amount.
  const isStatic = session.amount.value === 0;
  const qrContent = isStatic ? buildStaticQris(identity) : buildDynamicQris({ ...identity, amount: session.amount.value });
  const qrType = isStatic ? 'STATIC' : 'DYNAMIC';
  return { charge: { ...base, qr: { acquirer: 'BNC', qrContent, qrType, merchantName: name, expiryAt } } };
}


export function vaNumberTaken(): Refusal {
  return Refusal.field('paymentMethodOptions.virtualAccount.virtualAccountNumber', 'requested VA number already assigned');
}

/**
 * A requested VA number is refused while an open session holds it; a holder whose time is up (but not yet
 * swept) is expired first, so the number is free at the moment its old session stopped being payable.
 */
export async function freeRequestedVaNumber(ctx: Context, choice: MethodChoice, now: Date): Promise<void> {
  const va = choice.options.virtualAccount;
  if (!va?.virtualAccountNumber || !va.channel) return;
  const holderId = await findVaHolder(ctx.db, va.channel, va.virtualAccountNumber);
  if (!holderId) return;
  const holder = await findSessionById(ctx.db, holderId);
  if (!holder || !isPastExpiry(holder, now)) throw vaNumberTaken();
  await recordExpiry(ctx, holder);
}
