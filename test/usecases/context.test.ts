import { describe, expect, it } from 'vitest';
import { newRecordId } from '../../src/usecases/context.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRecordId', () => {
  it('is an RFC 9562 version 7 UUID', () => {
    for (let i = 0; i < 1000; i++) expect(newRecordId()).toMatch(UUID_V7);
  });

  it('sorts in creation order across milliseconds, so consecutive rows land on the same index pages', () => {
    const start = Date.UTC(2026, 10, 26);
    const ids = Array.from({ length: 500 }, (_, i) => newRecordId(start + i * 7));
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries its creation time in its first 48 bits', () => {
    const at = Date.UTC(2026, 10, 26, 8, 30);
    const id = newRecordId(at);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('keeps its random part: ids made in the same millisecond differ', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newRecordId(at)));
    expect(ids.size).toBe(10_000);
  });
});
