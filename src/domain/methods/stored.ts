// Reading back Kasir's own JSON: an object or a clear error naming what was expected, never a guess.
import { isJsonObject } from '../json.ts';
export function refuseShape<T extends object>(stored: unknown, what: string): T {
  if (!isJsonObject(stored)) {
    throw new Error(`stored ${what} is not an object`);
  }
  return stored as T;
}
