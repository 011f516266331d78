import { describe, expect, it } from 'vitest';
import { localForm, maskMobile, toE164 } from '../../src/domain/mobile-number.ts';

describe('Indonesian mobile numbers', () => {
  it('reads every way people write one as E.164', () => {
    for (const written of ['08111111001', '8111111001', '628111111001', '+628111111001', '+62 811-111-1001', '(0811) 111 1001']) {
      expect(toE164(written), written).toBe('+628111111001');
    }
  });

  it('refuses what is not an Indonesian mobile number', () => {
    for (const written of ['', '12', '0211234567', '+6521234567', '08111', '081111111111111', '0811x111001', '+1 811 111 1001']) {
      expect(toE164(written), written).toBeUndefined();
    }
  });

  it('shows it back the local way, masked in the middle', () => {
    expect(localForm('+628111111001')).toBe('08111111001');
    expect(maskMobile('+628111111001')).toBe('0811•••1001');
    expect(maskMobile('+6281234567890')).toBe('0812••••7890');
  });
});
