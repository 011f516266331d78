// A fetch for event-stream tests: everything passes through to the real server, but the first
// GET /v2/events/stream is cut right after its first message, as a proxy or a restart would cut it. It records
// the Last-Event-ID each stream request carried, so a test can see what a reconnect resumed from.

export function cuttingFirstStream(): { fetch: typeof fetch; lastEventIds: Array<string | null> } {
  const lastEventIds: Array<string | null> = [];
  const cutting: typeof fetch = async (input, init) => {
    // The SDK sends a Request object; a string URL and init are read the same way.
    const request = new Request(input, init);
    const response = await fetch(request);
    if (new URL(request.url).pathname !== '/v2/events/stream' || !response.body) return response;
    lastEventIds.push(request.headers.get('last-event-id'));
    if (lastEventIds.length > 1) return response;
    const reader = response.body.getReader();
    let text = '';
    const cut = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done || !value) return controller.close();
        text += new TextDecoder().decode(value);
        const first = /data:[^\n]*\n\n/.exec(text);
        if (!first) return;
        // Up to the end of the first message, not a byte more.
        controller.enqueue(new TextEncoder().encode(text.slice(0, first.index + first[0].length)));
        await reader.cancel();
        controller.error(new Error('connection reset'));
      },
    });
    return new Response(cut, { status: response.status, headers: response.headers });
  };
  return { fetch: cutting, lastEventIds };
}
