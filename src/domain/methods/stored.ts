// Reading back Kasir's own JSON: a method's stored options and charge details. Each member is checked
// against the type Kasir writes it with as it is read, so a damaged row is refused with the member's path
// instead of reaching a decision or a merchant as if it were valid. (The store checks its other JSON
// columns with compiled TypeBox shapes; the domain imports no packages, so its methods read member by member.)
import { isJsonObject, isOneOf, memberOf } from '../json.ts';

/** One stored JSON object, read one checked member at a time. */
export class StoredObject {
  private constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    private readonly path: string,
  ) {}

  /** `stored` as an object, or refused naming `what` it should have been. */
  static read(stored: unknown, what: string): StoredObject {
    if (!isJsonObject(stored)) throw new Error(`stored ${what} is not an object`);
    return new StoredObject(stored, what);
  }

  string(name: string): string {
    const value = this.member(name);
    return typeof value === 'string' ? value : this.refuse(name, 'a string');
  }

  number(name: string): number {
    const value = this.member(name);
    return typeof value === 'number' && Number.isFinite(value) ? value : this.refuse(name, 'a number');
  }

  boolean(name: string): boolean {
    const value = this.member(name);
    return typeof value === 'boolean' ? value : this.refuse(name, 'true or false');
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.member(name);
    return isOneOf(allowed, value) ? value : this.refuse(name, `one of ${allowed.join(', ')}`);
  }

  object(name: string): StoredObject {
    const value = this.member(name);
    return isJsonObject(value) ? new StoredObject(value, `${this.path}.${name}`) : this.refuse(name, 'an object');
  }

  /** A list of objects. */
  objects(name: string): StoredObject[] {
    const value = this.member(name);
    if (!Array.isArray(value)) return this.refuse(name, 'a list');
    return value.map((item: unknown, i) => StoredObject.read(item, `${this.path}.${name}[${i}]`));
  }

  /** `read(name)` when the member is there; undefined when it is not (JSON has no undefined). */
  optional<T>(name: string, read: (name: string) => T): T | undefined {
    return this.member(name) === undefined ? undefined : read(name);
  }

  /** `read(name)`, or null when the member is null. */
  nullable<T>(name: string, read: (name: string) => T): T | null {
    return this.member(name) === null ? null : read(name);
  }

  private member(name: string): unknown {
    return memberOf(this.value, name);
  }

  private refuse(name: string, expected: string): never {
    throw new Error(`stored ${this.path}.${name} is not ${expected}`);
  }
}
