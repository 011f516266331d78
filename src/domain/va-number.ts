// Virtual-account numbers: a per-bank company prefix followed by a customer part. Uniqueness among
// active sessions is the store's job (a unique index); this module only proposes and checks numbers.
import type { VaChannel } from './payment-methods.ts';

/** Sandbox company codes: fictional, but shaped like each bank's (BCA 5 digits, Permata 4, …). */
const PREFIX: Record<VaChannel, string> = {
  BCA: '39011',
  BRI: '26215',
  MANDIRI: '88908',
  BNI: '8808',
  BSI: '9347',
  CIMB: '5919',
  PERMATA: '8625',
  BNC: '9000',
  DANAMON: '7915',
};

export const GENERATED_VA_LENGTH = 16;
export const REQUESTED_VA_PATTERN = /^[0-9]{4,23}$/;

/** `randomDigits(n)` must return n decimal digits; injected so tests are deterministic. */
export function proposeVaNumber(channel: VaChannel, randomDigits: (count: number) => string): string {
  const prefix = PREFIX[channel];
  return prefix + randomDigits(GENERATED_VA_LENGTH - prefix.length);
}

export function isValidRequestedVaNumber(value: string): boolean {
  return REQUESTED_VA_PATTERN.test(value);
}
