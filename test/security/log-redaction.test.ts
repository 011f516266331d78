import { describe, expect, it } from 'vitest';
import { REDACTED, redactUrl, redactedRequest } from '../../src/security/log-redaction.ts';

describe('redactUrl', () => {
  it('takes the token out of the payment page URLs, keeping the path and other parameters', () => {
    expect(redactUrl('/detail?token=eyJ.a.b')).toBe(`/detail?token=${REDACTED}`);
    expect(redactUrl('/detail/qr.png?lang=en&token=eyJ.a.b&x=1')).toBe(`/detail/qr.png?lang=en&token=${REDACTED}&x=1`);
    expect(redactUrl('/detail?token=a&token=b')).toBe(`/detail?token=${REDACTED}&token=${REDACTED}`);
  });

  it('whatever the spelling of the name, and for access tokens too', () => {
    expect(redactUrl('/detail?TOKEN=x')).toBe(`/detail?TOKEN=${REDACTED}`);
    expect(redactUrl('/detail?to%6Ben=x')).toBe(`/detail?to%6Ben=${REDACTED}`);
    expect(redactUrl('/x?access_token=x&accessToken=y')).toBe(`/x?access_token=${REDACTED}&accessToken=${REDACTED}`);
    expect(redactUrl('/detail?token')).toBe(`/detail?token=${REDACTED}`);
  });

  it('takes card fields out of a URL, should a card form ever be sent as a GET', () => {
    expect(redactUrl('/detail/card?cardNumber=4440000112200001&cvc=737&expiry=12%2F30&lang=en')).toBe(
      `/detail/card?cardNumber=${REDACTED}&cvc=${REDACTED}&expiry=${REDACTED}&lang=en`,
    );
    expect(redactUrl('/x?number=4440000112200001&CVV=1&pan=2')).toBe(`/x?number=${REDACTED}&CVV=${REDACTED}&pan=${REDACTED}`);
  });

  it('leaves URLs without credentials as they are, even malformed ones', () => {
    for (const url of ['/v2/payments', '/v2/payments?page=2&perPage=10', '/detail?%E0%A4%A=1', '/x?'])
      expect(redactUrl(url)).toBe(url);
  });
});

describe('redactedRequest', () => {
  it('logs what Fastify logs, minus credentials, and copes with anything logged as req', () => {
    const logged = redactedRequest({
      method: 'GET',
      url: '/detail?token=t',
      host: 'kasir',
      ip: '10.0.0.1',
      socket: { remotePort: 5 },
    });
    expect(logged).toEqual({
      method: 'GET',
      url: `/detail?token=${REDACTED}`,
      host: 'kasir',
      remoteAddress: '10.0.0.1',
      remotePort: 5,
    });
    expect(redactedRequest({})).toMatchObject({ url: undefined });
  });
});
