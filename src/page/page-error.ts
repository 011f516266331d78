// The page's own friendly errors: thrown by its routes and shown as they are by the plugin's error handler.
import type { MessageKey } from './i18n.ts';

/** A friendly error the page shows as is. `backToken` adds a link back to the payment page. */
export class PageError extends Error {
  constructor(
    readonly statusCode: number,
    readonly titleKey: MessageKey,
    readonly messageKey: MessageKey,
    readonly backToken?: string,
  ) {
    super(messageKey);
  }
}
