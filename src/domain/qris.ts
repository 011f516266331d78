// QRIS merchant-presented payloads: TLV encoding/parsing, CRC-16/CCITT-FALSE, and building dynamic QRs.

/** Tags whose value is itself a list of nested TLV objects. */
const TEMPLATE_IDS = new Set<string>([...Array.from({ length: 51 - 26 + 1 }, (_, i) => String(26 + i)), '62', '64']);

const MAX_PAYLOAD_CHARS = 512;
const MAX_AMOUNT = 9_999_999_999_999; // 13 digits, the width of tag 54
const CRC_ID_AND_LENGTH = '6304';

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout) as 4 uppercase hex digits. */
export function crc16CcittFalse(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Length as QRIS counts it: characters (code points), not UTF-16 units or bytes. */
function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** One data object: 2-digit ID + 2-digit length + value (1–99 characters). */
export function encodeTlv(id: string, value: string): string {
  if (!/^\d{2}$/.test(id)) throw new RangeError(`QRIS tag id must be two digits, got "${id}"`);
  const len = charLength(value);
  if (len < 1 || len > 99) {
    throw new RangeError(`QRIS tag ${id}: value must be 1–99 characters, got ${len}`);
  }
  return id + String(len).padStart(2, '0') + value;
}

/** Splits a string of concatenated data objects. Throws on any structural fault. */
export function parseTlv(payload: string): Array<{ id: string; value: string }> {
  const chars = Array.from(payload);
  const out: Array<{ id: string; value: string }> = [];
  let pos = 0;
  while (pos < chars.length) {
    if (pos + 4 > chars.length) {
      throw new Error(`Malformed TLV at offset ${pos}: truncated header`);
    }
    const id = chars.slice(pos, pos + 2).join('');
    const lenText = chars.slice(pos + 2, pos + 4).join('');
    if (!/^\d{2}$/.test(id)) throw new Error(`Malformed TLV at offset ${pos}: id "${id}" is not two digits`);
    if (!/^\d{2}$/.test(lenText)) {
      throw new Error(`Malformed TLV at offset ${pos}: length "${lenText}" of tag ${id} is not two digits`);
    }
    const len = Number(lenText);
    if (len === 0) throw new Error(`Malformed TLV at offset ${pos}: tag ${id} has zero length`);
    const start = pos + 4;
    if (start + len > chars.length) {
      throw new Error(
        `Malformed TLV at offset ${pos}: tag ${id} declares ${len} characters but only ${chars.length - start} remain`,
      );
    }
    out.push({ id, value: chars.slice(start, start + len).join('') });
    pos = start + len;
  }
  return out;
}

function toRecord(objects: Array<{ id: string; value: string }>, where: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { id, value } of objects) {
    if (Object.hasOwn(record, id)) throw new Error(`Malformed QRIS: tag ${id} appears twice in ${where}`);
    record[id] = value;
  }
  return record;
}

/**
 * Parses a QRIS payload. `fields` holds every root object's raw value; `templates` holds the nested
 * objects of 26–51, 62 and 64. `crcValid` is false when tag 63 is missing, not last, or wrong.
 */
export function parseQris(payload: string): {
  fields: Record<string, string>;
  templates: Record<string, Record<string, string>>;
  crcValid: boolean;
} {
  if (typeof payload !== 'string' || payload.length === 0) throw new Error('Malformed QRIS: empty payload');
  const objects = parseTlv(payload);
  if (objects[0]?.id !== '00') throw new Error('Malformed QRIS: payload must start with tag 00');
  const fields = toRecord(objects, 'the root');

  const templates: Record<string, Record<string, string>> = {};
  for (const { id, value } of objects) {
    if (!TEMPLATE_IDS.has(id)) continue;
    let nested: Array<{ id: string; value: string }>;
    try {
      nested = parseTlv(value);
    } catch (err) {
      throw new Error(`Malformed QRIS: template ${id}: ${(err as Error).message}`);
    }
    templates[id] = toRecord(nested, `template ${id}`);
  }

  const last = objects[objects.length - 1];
  let crcValid = false;
  if (last && last.id === '63' && /^[0-9A-Fa-f]{4}$/.test(last.value)) {
    const chars = Array.from(payload);
    const signed = chars.slice(0, chars.length - 4).join('');
    crcValid = crc16CcittFalse(signed) === last.value.toUpperCase();
  }
  return { fields, templates, crcValid };
}

export interface DynamicQrisInput {
  acquirerGuid: string;
  merchantPan: string;
  acquirerMerchantId: string;
  merchantCriteria: 'UMI' | 'UKE' | 'UME' | 'UBE' | 'URE';
  nationalMerchantId: string;
  merchantCategoryCode: string;
  merchantName: string;
  merchantCity: string;
  postalCode: string;
  amount: number;
  billNumber?: string;
  referenceLabel?: string;
  terminalLabel?: string;
}

const CRITERIA = new Set(['UMI', 'UKE', 'UME', 'UBE', 'URE']);
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/**
 * Turns free text into printable ASCII: accents are folded ("é" -> "e"), anything else outside
 * 0x20–0x7E becomes a space, runs of spaces collapse, and the result is trimmed and cut to maxLen.
 */
function sanitizeText(value: string, maxLen: number, stripPipe: boolean): string {
  let s = value.normalize('NFKD').replace(/\p{M}/gu, '');
  s = s.replace(/[^\x20-\x7E]/gu, ' ');
  if (stripPipe) s = s.replace(/\|/g, '');
  s = s.replace(/ {2,}/g, ' ').trim();
  return s.slice(0, maxLen).trimEnd();
}

/** Identifiers are configuration, not free text: reject rather than silently rewrite them. */
function requireId(name: string, value: string, maxLen: number, pattern = PRINTABLE_ASCII): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > maxLen || !pattern.test(value)) {
    throw new RangeError(`${name} must be 1–${maxLen} characters matching ${pattern}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireText(name: string, value: string, maxLen: number, stripPipe: boolean): string {
  const clean = sanitizeText(String(value ?? ''), maxLen, stripPipe);
  if (clean.length === 0) throw new RangeError(`${name} is empty after sanitising: ${JSON.stringify(value)}`);
  return clean;
}

/** Builds a merchant-presented dynamic QRIS payload (01 = "12") for a fixed rupiah amount. */
export function buildDynamicQris(input: DynamicQrisInput): string {
  return buildQris(input, input.amount);
}

/** Builds a static payload (01 = "11", no amount): the payer types the amount, for MULTIPLE sessions. */
export function buildStaticQris(input: Omit<DynamicQrisInput, 'amount'>): string {
  return buildQris({ ...input, amount: 0 }, undefined);
}

function buildQris(input: DynamicQrisInput, amount: number | undefined): string {
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT)) {
    throw new RangeError(`amount must be a positive whole number of rupiah ≤ ${MAX_AMOUNT}, got ${amount}`);
  }
  if (!CRITERIA.has(input.merchantCriteria)) {
    throw new RangeError(`merchantCriteria must be one of ${[...CRITERIA].join(', ')}, got ${input.merchantCriteria}`);
  }
  const criteria = input.merchantCriteria;
  const guid = requireId('acquirerGuid', input.acquirerGuid, 32);
  const pan = requireId('merchantPan', input.merchantPan, 19, /^\d+$/);
  const mid = requireId('acquirerMerchantId', input.acquirerMerchantId, 15);
  const nmid = requireId('nationalMerchantId', input.nationalMerchantId, 15);
  const mcc = requireId('merchantCategoryCode', input.merchantCategoryCode, 4, /^\d{4}$/);

  const name = requireText('merchantName', input.merchantName, 25, true);
  const city = requireText('merchantCity', input.merchantCity, 15, true);
  const postal = sanitizeText(String(input.postalCode ?? ''), Infinity, true);
  if (postal.length < 1 || postal.length > 10) {
    throw new RangeError(`postalCode must be 1–10 characters, got ${JSON.stringify(input.postalCode)}`);
  }

  const additional: string[] = [];
  const optional: Array<[string, string, string | undefined]> = [
    ['01', 'billNumber', input.billNumber],
    ['05', 'referenceLabel', input.referenceLabel],
    ['07', 'terminalLabel', input.terminalLabel],
  ];
  for (const [subId, label, raw] of optional) {
    if (raw === undefined) continue;
    additional.push(encodeTlv(subId, requireText(label, raw, 25, false)));
  }

  const parts = [
    encodeTlv('00', '01'),
    encodeTlv('01', amount === undefined ? '11' : '12'),
    encodeTlv('26', encodeTlv('00', guid) + encodeTlv('01', pan) + encodeTlv('02', mid) + encodeTlv('03', criteria)),
    encodeTlv('51', encodeTlv('00', 'ID.CO.QRIS.WWW') + encodeTlv('02', nmid) + encodeTlv('03', criteria)),
    encodeTlv('52', mcc),
    encodeTlv('53', '360'),
    ...(amount === undefined ? [] : [encodeTlv('54', String(amount))]),
    encodeTlv('58', 'ID'),
    encodeTlv('59', name),
    encodeTlv('60', city),
    encodeTlv('61', postal),
  ];
  if (additional.length > 0) parts.push(encodeTlv('62', additional.join('')));

  const signed = parts.join('') + CRC_ID_AND_LENGTH;
  const payload = signed + crc16CcittFalse(signed);
  if (payload.length > MAX_PAYLOAD_CHARS) {
    // Unreachable with the field limits above (max ≈ 350), kept as a guard for future fields.
    throw new RangeError(`QRIS payload is ${payload.length} characters, limit is ${MAX_PAYLOAD_CHARS}`);
  }
  return payload;
}
