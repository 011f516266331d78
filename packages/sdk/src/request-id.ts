// X-REQUEST-ID: 32 hex characters from the platform's CSPRNG (WebCrypto), inside Pivot's 16–36 letters and
// digits. One per logical call, reused by every retry of it, so the server can replay instead of redo.

export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Pivot's rule for the header; checked before sending so a bad caller-supplied id fails here, not as a 400. */
export function isValidRequestId(id: string): boolean {
  return /^[A-Za-z0-9]{16,36}$/.test(id);
}
