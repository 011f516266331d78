// Reads a text/event-stream body (the WHATWG Server-Sent Events format) into messages: `data:` lines joined
// by newlines, the last `id:` and `event:`, `retry:` remembered; comments (":") and unknown fields ignored.
// Small and ours: `kasir listen` reads one well-defined stream, Kasir's own.

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseState {
  /** The last id seen (what Last-Event-ID resumes after). */
  lastEventId: string | undefined;
  /** The server's reconnection delay, once it sends `retry:`. */
  retryMs: number | undefined;
}

/** Yields each complete message; `state` is updated as the stream goes, so a caller can resume after a drop. */
export async function* readSse(body: AsyncIterable<Uint8Array>, state: SseState): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { id: state.lastEventId, event: event || 'message', data: data.join('\n') };
        data = [];
        event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) state.lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) state.retryMs = Number(value);
    }
  }
}
