// Values of unpromised shape (src/domain/json.ts), read member by member: only an object's own members
// count, so a form or query string naming `constructor` or `__proto__` reads nothing.
import { describe, expect, it } from 'vitest';
import { errorMessage, isJsonObject, isOneOf, memberOf } from '../../src/domain/json.ts';

describe('reading JSON of unpromised shape', () => {
  it('takes plain objects, not null, arrays or primitives', () => {
    expect(isJsonObject({ a: 1 })).toBe(true);
    expect(isJsonObject(Object.create(null))).toBe(true);
    for (const value of [null, undefined, [1], 'text', 3, true]) expect(isJsonObject(value)).toBe(false);
  });

  it("reads an object's own member, and nothing from a prototype or from what is not an object", () => {
    expect(memberOf({ token: 'abc' }, 'token')).toBe('abc');
    const query: Record<string, unknown> = Object.create(null);
    query.lang = 'en';
    expect(memberOf(query, 'lang')).toBe('en');
    expect(memberOf({}, 'constructor')).toBeUndefined();
    expect(memberOf({}, '__proto__')).toBeUndefined();
    expect(memberOf(Object.create({ token: 'inherited' }), 'token')).toBeUndefined();
    expect(memberOf(['a'], '0')).toBeUndefined();
    expect(memberOf(null, 'token')).toBeUndefined();
    expect(memberOf('token=abc', 'token')).toBeUndefined();
  });

  it("reads a thrown value's message: an Error's, a DOMException's (on its prototype), or an own string", () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(new DOMException('too slow', 'TimeoutError'))).toBe('too slow');
    expect(errorMessage({ message: 'plain' })).toBe('plain');
    expect(errorMessage({ message: 42 })).toBeUndefined();
    expect(errorMessage('just text')).toBeUndefined();
    expect(errorMessage(Object.create({ message: 'inherited' }))).toBeUndefined();
  });

  it('takes a name only when it is one of the list, whatever else arrives', () => {
    const outcomes = ['SUCCESS', 'FAILED'] as const;
    expect(isOneOf(outcomes, 'SUCCESS')).toBe(true);
    for (const value of ['success', 'EXPIRED', '', undefined, null, 1, ['SUCCESS']]) expect(isOneOf(outcomes, value)).toBe(false);
  });
});
