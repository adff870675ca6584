// The console's only ways to the server: the documented control plane (docs/control-api.md),
// with the control token as its bearer header, and its event stream, GET /control/v1/events.
//
// Named decision: the event stream is read with fetch() and a streamed body, not EventSource,
// because EventSource cannot send an Authorization header and the token must never be put in a
// URL (URLs reach logs, history and proxies).

const TOKEN_KEY = 'tginvite.controlToken';

export function savedToken() { return sessionStorage.getItem(TOKEN_KEY); }
export function saveToken(token) { sessionStorage.setItem(TOKEN_KEY, token); }
export function forgetToken() { sessionStorage.removeItem(TOKEN_KEY); }

export class ControlError extends Error {
  constructor(status, description) {
    super(description);
    this.status = status;
  }
}

// GET or another method on /control/v1/<path>; the result, or throws a ControlError.
export async function control(path, { method = 'GET', body } = {}) {
  const init = { method, headers: { Authorization: `Bearer ${savedToken() ?? ''}` } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`/control/v1/${path}`, init);
  let envelope;
  try {
    envelope = await response.json();
  } catch {
    throw new ControlError(response.status, `${response.status} ${response.statusText}`);
  }
  if (!envelope.ok) throw new ControlError(envelope.error_code, envelope.description);
  return envelope.result;
}

// One page of a paginated listing: GET <path>?after=..&limit=.., answering
// {"items":[...],"next_after":ID} (next_after only when more may follow).
export async function listPage(path, after, limit = 100) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (after !== undefined && after !== null) query.set('after', String(after));
  return control(`${path}?${query}`);
}

// Reads the event stream until it ends or `signal` aborts. Calls onEvent({kind, ...}) for each
// event, onOpen() once the server has subscribed us (its "ready" event). Resolves with the last
// event's kind ("stop", "dropped", or undefined when the connection just ended).
export async function readEvents({ onOpen, onEvent, signal }) {
  const response = await fetch('/control/v1/events', {
    headers: { Authorization: `Bearer ${savedToken() ?? ''}`, Accept: 'text/event-stream' },
    signal,
  });
  if (response.status === 401) throw new ControlError(401, 'Unauthorized');
  if (!response.ok || !response.body) throw new ControlError(response.status, 'no event stream');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseEvent(block);
      if (!event) continue;
      last = event.kind;
      if (event.kind === 'ready') onOpen?.();
      else onEvent(event);
    }
  }
}

// One server-sent event block: its data line's JSON object, or null for a comment (keep-alive).
function parseEvent(block) {
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('data:')) data += line.slice(5).trimStart();
  }
  if (!data) return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
