// JSON nested deeper than any request needs would overflow the stack when its idempotency hash is computed
// or it is stored: create routes refuse it with a 400 before anything else reads it.
import { Refusal } from '../domain/refusal.ts';

const MAX_DEPTH = 32;

function tooDeep(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return true;
  return !!value && typeof value === 'object' && Object.values(value).some((v) => tooDeep(v, depth + 1));
}

export function refuseTooDeep(body: unknown): void {
  if (tooDeep(body)) throw Refusal.field('body', `the request body is nested more than ${MAX_DEPTH} levels deep`);
}
