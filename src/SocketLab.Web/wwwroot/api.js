// The page's side of the JSON API: requests (the access cookie goes along), errors as codes, toasts, downloads.
import { notice } from './i18n.js';

/** A refused request: the server's code and parameters, worded by the page in the chosen language. */
export class ApiError extends Error {
  constructor(status, code, args, text) {
    super(text || `${status}`);
    this.status = status;
    this.code = code;
    this.args = args || {};
  }

  get text() { return notice(this.code, this.args, this.message); }
}

/**
 * Calls /api + path. `as` says what the answer is: 'json' (default; 204 gives null) or 'blob'
 * (downloads: an export is JSON Lines, which is not one JSON document).
 */
export async function api(method, path, body, { raw = false, as = 'json' } = {}) {
  const headers = {};
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('/api' + path, { method, headers, credentials: 'same-origin', body: raw ? body : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!res.ok) {
    let answer = {};
    try { answer = await res.json(); } catch { /* not JSON: 413 from the web server, say */ }
    const code = answer.code || (res.status === 413 ? 'tooLarge' : res.status === 401 ? 'noToken' : undefined);
    throw new ApiError(res.status, code, answer.args, answer.error || `${res.status} ${res.statusText}`);
  }
  if (as === 'blob') return res.blob();
  return res.status === 204 ? null : res.json();
}

export function describe(err) { return err instanceof ApiError ? err.text : String(err?.message ?? err); }

export function toast(text, ok) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.className = 'toast' + (ok ? ' ok' : '');
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, ok ? 1800 : 6000);
}

/** Runs an API call; a refusal becomes a toast and `undefined`. */
export async function attempt(fn) {
  try { return await fn(); } catch (err) { toast(describe(err)); return undefined; }
}

/** Saves what an API path returns as a file. */
export async function download(path, name) {
  const blob = await attempt(() => api('GET', path, undefined, { as: 'blob' }));
  if (!blob) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

