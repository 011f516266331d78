// Rules about a merchant's own settings.

/**
 * Why this cannot be a callback API key, or undefined. It travels as the X-API-Key header of every
 * callback, so it must be something HTTP carries unchanged: printable ASCII, no control characters (a
 * CR or LF would end the header; HTTP clients refuse to send one), no space at either end (receivers
 * strip it, so their comparison would never match), and it must fit its column.
 */
export function callbackApiKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 255) return 'must be 1 to 255 characters long';
  if (!/^[\x20-\x7e]+$/.test(key)) return 'must be printable ASCII (no control characters such as CR, LF or NUL)';
  if (key.startsWith(' ') || key.endsWith(' ')) return 'must not start or end with a space';
  return undefined;
}
