// @ts-check
// In the shopper's browser, on a page whose order still waits for the payment's outcome: asks the shop every
// few seconds and reloads the page once the order's status is no longer the one shown, for ten minutes at
// most. Without JavaScript the page's "Check again" button does the same by hand. (A meta refresh would
// reload the page under a screen reader's user every few seconds whether anything changed or not.)
const POLL_MS = 5000;
const GIVE_UP_AFTER_MS = 10 * 60_000;

const main = document.querySelector('main[data-watch]');
if (main instanceof HTMLElement && main.dataset.watch) {
  const statusUrl = main.dataset.watch;
  const shown = main.dataset.status;
  const giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
  const check = async () => {
    try {
      const res = await fetch(statusUrl, { headers: { accept: 'application/json' }, cache: 'no-store' });
      const body = res.ok ? await res.json() : undefined;
      if (body && body.status !== shown) return location.reload();
    } catch {
      // The shop or the network is down for a moment: try again at the next tick.
    }
    if (Date.now() < giveUpAt) setTimeout(check, POLL_MS);
  };
  setTimeout(check, POLL_MS);
}
