// The HTTP API as the console uses it: every call carries the API key (kept in sessionStorage, never in a URL),
// errors become ApiError with busflow's code and message (problem+json 'detail'/'code', or the older
// {"error":{"code","message"}}), and Server-Sent Events are read over fetch so that they carry the key too.

const KEY_ITEM = 'busflow.apiKey';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_ITEM),
  set: (key) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
};

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const key = apiKey.get();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

/** The failure of a response: busflow's code and message, whichever error shape the server uses. */
export async function failureOf(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const code = body?.code ?? body?.error?.code ?? `HTTP_${res.status}`;
  const message = body?.detail ?? body?.error?.message ?? body?.title ?? `${res.status} ${res.statusText}`;
  return new ApiError(res.status, code, message);
}

export async function request(method, path, body) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  if (!res.ok) throw await failureOf(res);
  return res.status === 204 ? null : res.json();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const del = (path) => request('DELETE', path);

/**
 * Reads the event stream at {@code path}, calling onEvent(type, data) for each event (data parsed as JSON);
 * returns a function that closes it. The stream ends when the server ends it, on close, or on an error
 * (onEnd(error?) is called once).
 */
export function events(path, onEvent, onEnd = () => {}) {
  const abort = new AbortController();
  let ended = false;
  const end = (err) => { if (!ended) { ended = true; onEnd(err); } };
  (async () => {
    const res = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal: abort.signal });
    if (!res.ok) throw await failureOf(res);
    if (res.status === 204 || !res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let at;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, at), onEvent);
        buffer = buffer.slice(at + 2);
      }
    }
  })().then(() => end(), (err) => end(err.name === 'AbortError' ? undefined : err));
  return () => { abort.abort(); end(); };
}

function dispatch(block, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return;
  let parsed;
  try { parsed = JSON.parse(data.join('\n')); } catch { parsed = data.join('\n'); }
  onEvent(type, parsed);
}
