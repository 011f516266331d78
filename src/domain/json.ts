// Reading values whose shape nobody promised (what a merchant sent, a form, a query string, a decrypted
// card): one member at a time, each checked where it is used, instead of asserting a shape for the whole.

/** A plain object (not null, not an array): its members can be read by name. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[name]` when `value` is an object holding that member itself; undefined otherwise. */
export function memberOf(value: unknown, name: string): unknown {
  return isJsonObject(value) && Object.hasOwn(value, name) ? value[name] : undefined;
}

/** A thrown value's message: an Error's (DOMException keeps it on its prototype), else an own string member. */
export function errorMessage(value: unknown): string | undefined {
  if (value instanceof Error) return value.message;
  const message = memberOf(value, 'message');
  return typeof message === 'string' ? message : undefined;
}

/** Whether `value` is one of `allowed`: narrows a name read from outside (a row, a form) by checking it. */
export function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  const names: readonly unknown[] = allowed;
  return names.includes(value);
}
