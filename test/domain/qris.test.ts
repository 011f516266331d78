import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  buildDynamicQris,
  crc16CcittFalse,
  encodeTlv,
  parseQris,
  parseTlv,
  type DynamicQrisInput,
} from '../../src/domain/qris.ts';

// Fictional merchant from the research notes' worked example (not payable).
const EXAMPLE_INPUT: DynamicQrisInput = {
  acquirerGuid: 'ID.CO.CONTOHPAY.WWW',
  merchantPan: '936099990000012345',
  acquirerMerchantId: 'CTH000000012345',
  merchantCriteria: 'UMI',
  nationalMerchantId: 'ID1024000012345',
  merchantCategoryCode: '5812',
  merchantName: 'TOKO CONTOH JAYA',
  merchantCity: 'JAKARTA',
  postalCode: '12190',
  amount: 150000,
  billNumber: 'INV20240601001',
  referenceLabel: 'ORD-8842',
  terminalLabel: 'WEB01',
};

const EXAMPLE_DYNAMIC =
  '00020101021226710019ID.CO.CONTOHPAY.WWW01189360999900000123450215CTH0000000123450303UMI' +
  '51440014ID.CO.QRIS.WWW0215ID10240000123450303UMI52045812530336054061500005802ID' +
  '5916TOKO CONTOH JAYA6007JAKARTA61051219062390114INV202406010010508ORD-88420705WEB016304BEA1';

const EXAMPLE_STATIC =
  '00020101021126710019ID.CO.CONTOHPAY.WWW01189360999900000123450215CTH0000000123450303UMI' +
  '51440014ID.CO.QRIS.WWW0215ID10240000123450303UMI5204581253033605802ID' +
  '5916TOKO CONTOH JAYA6007JAKARTA61051219062070703A0163047F51';

describe('crc16CcittFalse', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc16CcittFalse('123456789')).toBe('29B1');
  });

  it('reproduces the CRC of the static example over its prefix', () => {
    expect(EXAMPLE_STATIC).toHaveLength(215);
    expect(crc16CcittFalse(EXAMPLE_STATIC.slice(0, -4))).toBe('7F51');
  });

  it('zero-pads and uppercases', () => {
    expect(crc16CcittFalse('')).toBe('FFFF');
    for (const s of ['a', 'QRIS', '0002010102']) expect(crc16CcittFalse(s)).toMatch(/^[0-9A-F]{4}$/);
  });
});

describe('encodeTlv', () => {
  it('writes id, two-digit length and value', () => {
    expect(encodeTlv('58', 'ID')).toBe('5802ID');
    expect(encodeTlv('59', 'x'.repeat(99))).toBe('5999' + 'x'.repeat(99));
  });

  it('rejects empty or over-long values and bad ids', () => {
    expect(() => encodeTlv('59', '')).toThrow(RangeError);
    expect(() => encodeTlv('59', 'x'.repeat(100))).toThrow(RangeError);
    expect(() => encodeTlv('5', 'x')).toThrow(RangeError);
    expect(() => encodeTlv('5A', 'x')).toThrow(RangeError);
    expect(() => encodeTlv('123', 'x')).toThrow(RangeError);
  });
});

describe('parseTlv / parseQris', () => {
  it('splits concatenated objects', () => {
    expect(parseTlv('0002015802ID')).toEqual([
      { id: '00', value: '01' },
      { id: '58', value: 'ID' },
    ]);
  });

  it('throws a clear error on malformed input', () => {
    expect(() => parseTlv('000')).toThrow(/truncated/);
    expect(() => parseTlv('0005abc')).toThrow(/declares 5/);
    expect(() => parseTlv('00xx01')).toThrow(/length/);
    expect(() => parseTlv('A00201')).toThrow(/id/);
    expect(() => parseTlv('0000')).toThrow(/zero length/);
    expect(() => parseQris('')).toThrow(/empty/);
    expect(() => parseQris('5802ID000201')).toThrow(/start with tag 00/);
    expect(() => parseQris('0002010002016304ABCD')).toThrow(/appears twice/);
    expect(() => parseQris('0002012603xyz')).toThrow(/template 26/);
  });

  it('parses the worked example into fields and templates', () => {
    const parsed = parseQris(EXAMPLE_DYNAMIC);
    expect(parsed.crcValid).toBe(true);
    expect(parsed.fields['01']).toBe('12');
    expect(parsed.fields['54']).toBe('150000');
    expect(parsed.fields['59']).toBe('TOKO CONTOH JAYA');
    expect(parsed.fields['63']).toBe('BEA1');
    expect(parsed.templates['26']).toEqual({
      '00': 'ID.CO.CONTOHPAY.WWW',
      '01': '936099990000012345',
      '02': 'CTH000000012345',
      '03': 'UMI',
    });
    expect(parsed.templates['51']).toEqual({ '00': 'ID.CO.QRIS.WWW', '02': 'ID1024000012345', '03': 'UMI' });
    expect(parsed.templates['62']).toEqual({ '01': 'INV20240601001', '05': 'ORD-8842', '07': 'WEB01' });
    expect(Object.keys(parsed.templates).sort()).toEqual(['26', '51', '62']);
  });

  it('round-trips: re-encoding the parsed objects gives the same payload', () => {
    for (const payload of [EXAMPLE_DYNAMIC, EXAMPLE_STATIC]) {
      const rebuilt = parseTlv(payload)
        .map(({ id, value }) => encodeTlv(id, value))
        .join('');
      expect(rebuilt).toBe(payload);
      const { fields, templates, crcValid } = parseQris(payload);
      expect(crcValid).toBe(true);
      for (const [id, sub] of Object.entries(templates)) {
        const inner = Object.entries(sub)
          .map(([k, v]) => encodeTlv(k, v))
          .join('');
        expect(inner).toBe(fields[id]);
      }
    }
  });

  it('accepts a lowercase CRC', () => {
    expect(parseQris(EXAMPLE_DYNAMIC.slice(0, -4) + 'bea1').crcValid).toBe(true);
  });

  it('flags a tampered payload', () => {
    const tampered = EXAMPLE_DYNAMIC.replace('5406150000', '5406950000');
    expect(tampered).not.toBe(EXAMPLE_DYNAMIC);
    const parsed = parseQris(tampered);
    expect(parsed.fields['54']).toBe('950000');
    expect(parsed.crcValid).toBe(false);
  });

  it('reports crcValid false when 63 is missing or not last', () => {
    const withoutCrc = EXAMPLE_DYNAMIC.slice(0, -8);
    expect(parseQris(withoutCrc).crcValid).toBe(false);
    const crcNotLast = EXAMPLE_DYNAMIC + '9902ID';
    expect(parseQris(crcNotLast).crcValid).toBe(false);
  });
});

describe('buildDynamicQris', () => {
  it('reproduces the worked example exactly (CRC BEA1)', () => {
    const payload = buildDynamicQris(EXAMPLE_INPUT);
    expect(payload).toBe(EXAMPLE_DYNAMIC);
    expect(payload).toHaveLength(257);
    expect(payload.endsWith('6304BEA1')).toBe(true);
  });

  it('omits tag 62 when no additional data is given, and emits only the given sub-fields', () => {
    const { billNumber, referenceLabel, terminalLabel, ...bare } = EXAMPLE_INPUT;
    void billNumber;
    void referenceLabel;
    void terminalLabel;
    const none = parseQris(buildDynamicQris(bare));
    expect(none.fields['62']).toBeUndefined();
    expect(none.crcValid).toBe(true);

    const one = parseQris(buildDynamicQris({ ...bare, referenceLabel: 'ORD-1' }));
    expect(one.templates['62']).toEqual({ '05': 'ORD-1' });
  });

  it('puts 00 first and 63 last', () => {
    const ids = parseTlv(buildDynamicQris(EXAMPLE_INPUT)).map((o) => o.id);
    expect(ids[0]).toBe('00');
    expect(ids[ids.length - 1]).toBe('63');
    expect(ids).toEqual(['00', '01', '26', '51', '52', '53', '54', '58', '59', '60', '61', '62', '63']);
  });

  it('rejects amounts that are not positive safe integers within 13 digits', () => {
    for (const amount of [0, -1, 1.5, Number.NaN, Infinity, 10_000_000_000_000, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, amount })).toThrow(RangeError);
    }
    expect(parseQris(buildDynamicQris({ ...EXAMPLE_INPUT, amount: 9_999_999_999_999 })).fields['54']).toBe('9999999999999');
    expect(parseQris(buildDynamicQris({ ...EXAMPLE_INPUT, amount: 1 })).fields['54']).toBe('1');
  });

  it('sanitises free text: ASCII only, no pipes in 58–61, truncated to the field limits', () => {
    const payload = buildDynamicQris({
      ...EXAMPLE_INPUT,
      merchantName: 'Café Ñusantara | Kopi & Teh — Cabang Utama Sekali',
      merchantCity: 'Yogyakarta|Sleman Raya',
      postalCode: '55|281',
      billNumber: 'INV-ÄÖÜ-0123456789012345678901',
      terminalLabel: '端末 7',
    });
    expect(payload).toMatch(/^[\x20-\x7E]+$/);
    const { fields, templates, crcValid } = parseQris(payload);
    expect(crcValid).toBe(true);
    expect(fields['59']).toBe('Cafe Nusantara Kopi & Teh');
    expect(fields['59']!.length).toBeLessThanOrEqual(25);
    expect(fields['60']).toBe('YogyakartaSlema');
    expect(fields['61']).toBe('55281');
    for (const id of ['58', '59', '60', '61']) expect(fields[id]).not.toContain('|');
    expect(templates['62']?.['01']).toBe('INV-AOU-01234567890123456');
    expect(templates['62']?.['07']).toBe('7');
  });

  it('rejects text that is empty after sanitising and malformed identifiers', () => {
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, merchantName: '日本' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, merchantCity: '   ' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, billNumber: '' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, postalCode: '12345678901' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, merchantPan: '9360-9999' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, merchantPan: '1'.repeat(20) })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, merchantCategoryCode: '581' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, acquirerGuid: 'X'.repeat(33) })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, acquirerMerchantId: 'M'.repeat(16) })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, nationalMerchantId: '' })).toThrow(RangeError);
    expect(() => buildDynamicQris({ ...EXAMPLE_INPUT, merchantCriteria: 'XYZ' as DynamicQrisInput['merchantCriteria'] })).toThrow(
      RangeError,
    );
  });

  it('property: any valid input yields a parseable payload with a valid CRC, the amount in 54, ≤ 512 chars', () => {
    const ascii = (min: number, max: number) =>
      fc.string({ unit: 'binary-ascii', minLength: min, maxLength: max }).map((s) => s.replace(/[^\x20-\x7E]/g, 'A'));
    // Free text: anything at all, but starting with a letter so it never sanitises to empty.
    const freeText = fc
      .tuple(fc.constantFrom('A', 'b', 'Z', '9'), fc.string({ unit: 'binary', maxLength: 60 }))
      .map(([head, rest]) => head + rest);
    const input: fc.Arbitrary<DynamicQrisInput> = fc.record(
      {
        acquirerGuid: ascii(1, 32),
        merchantPan: fc.stringMatching(/^\d{1,19}$/),
        acquirerMerchantId: ascii(1, 15),
        merchantCriteria: fc.constantFrom('UMI', 'UKE', 'UME', 'UBE', 'URE'),
        nationalMerchantId: ascii(1, 15),
        merchantCategoryCode: fc.stringMatching(/^\d{4}$/),
        merchantName: freeText,
        merchantCity: freeText,
        postalCode: fc.stringMatching(/^\d{5}$/),
        amount: fc.integer({ min: 1, max: 9_999_999_999_999 }),
        billNumber: freeText,
        referenceLabel: freeText,
        terminalLabel: freeText,
      },
      {
        requiredKeys: [
          'acquirerGuid',
          'merchantPan',
          'acquirerMerchantId',
          'merchantCriteria',
          'nationalMerchantId',
          'merchantCategoryCode',
          'merchantName',
          'merchantCity',
          'postalCode',
          'amount',
        ],
      },
    );
    fc.assert(
      fc.property(input, (i) => {
        const payload = buildDynamicQris(i);
        expect(payload.length).toBeLessThanOrEqual(512);
        expect(payload).toMatch(/^[\x20-\x7E]+$/);
        const { fields, templates, crcValid } = parseQris(payload);
        expect(crcValid).toBe(true);
        expect(fields['54']).toBe(String(i.amount));
        expect(Number(fields['54'])).toBe(i.amount);
        expect(fields['01']).toBe('12');
        expect(templates['26']?.['01']).toBe(i.merchantPan);
        expect(templates['51']?.['02']).toBe(i.nationalMerchantId);
        for (const id of ['58', '59', '60', '61']) expect(fields[id]).not.toContain('|');
        expect(fields['59']!.length).toBeLessThanOrEqual(25);
        expect(fields['60']!.length).toBeLessThanOrEqual(15);
        if (i.billNumber === undefined && i.referenceLabel === undefined && i.terminalLabel === undefined) {
          expect(fields['62']).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});
