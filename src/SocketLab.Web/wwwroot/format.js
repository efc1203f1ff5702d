// How one log line looks: time, direction, peer, byte count, then the text (visible CR/LF) or a hex+ASCII dump.
import { t, notice } from './i18n.js';

export const bytesOf = b64 => Uint8Array.from(atob(b64 || ''), c => c.charCodeAt(0));
const pad = (n, w = 2) => String(n).padStart(w, '0');
export const clock = ms => { const d = new Date(ms); return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`; };

export function hexDump(bytes, perLine = 16) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const row = bytes.subarray(i, i + perLine);
    let hex = '', ascii = '';
    for (const b of row) { hex += (hex ? ' ' : '') + b.toString(16).padStart(2, '0'); ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'; }
    lines.push(i.toString(16).padStart(4, '0') + '  ' + hex.padEnd(perLine * 3 - 1) + '  |' + ascii + '|');
  }
  return lines.join('\n');
}

/** Text with control characters made visible; with showEol, CR/LF appear as \r \n marks (LF still breaks the line). */
export function renderText(el, text, showEol) {
  let buf = '';
  const flush = () => { if (buf) { el.append(buf); buf = ''; } };
  const mark = s => { flush(); const m = document.createElement('span'); m.className = 'eol'; m.textContent = s; el.append(m); };
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (ch === '\r') { if (showEol) mark('\\r'); }
    else if (ch === '\n') { if (showEol) mark('\\n'); buf += '\n'; }
    else if (ch === '\t') buf += ch;
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) mark('\\x' + c.toString(16).padStart(2, '0').toUpperCase());
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f) mark('\\u' + c.toString(16).toUpperCase());
    else buf += ch;
  }
  flush();
}

const isData = e => e.dir === 'rx' || e.dir === 'tx';

/** A note's words in the chosen language (the server's English when the page has no string for its code). */
export const noteText = e => notice(e.code, e.args, e.text);

/** The DOM row for one entry. */
export function entryRow(e, hexView, showEol, bytesPerLine = 16) {
  const div = document.createElement('div');
  div.className = `entry ${e.dir}${e.echo ? ' echo' : ''}`;
  div.dataset.seq = e.seq;
  const cell = (cls, text) => { const s = document.createElement('span'); s.className = cls; s.textContent = text; div.append(s); return s; };
  const data = isData(e);
  cell('t', clock(e.time));
  cell('d', data ? t(e.dir) : e.dir === 'error' ? '!' : '·');
  cell('p', e.peer);
  cell('n', data ? e.len + ' B' : '');
  const c = cell('c', '');
  if (!data) c.textContent = noteText(e);
  else if (hexView) {
    const kept = bytesOf(e.b64);
    c.classList.add('hexdump');
    c.textContent = hexDump(kept, bytesPerLine) + (kept.length < e.len ? `\n… ${e.len - kept.length} more bytes` : '');
  }
  else renderText(c, e.text, showEol);
  return div;
}

/** Rough height of a row in lines, for deciding how many rows fill the screen (the browser measures the real ones). */
export function estimateLines(e, hexView, charsPerLine) {
  if (!isData(e)) return 1 + Math.floor((e.text?.length || 0) / charsPerLine);
  if (hexView) return Math.max(1, Math.ceil(Math.min(e.len, 2048) / (charsPerLine < 60 ? 8 : 16)));
  let lines = 1, run = 0;
  const text = e.text || '';
  for (let i = 0; i < text.length && lines < 400; i++) {
    if (text.charCodeAt(i) === 10) { lines++; run = 0; } else if (++run > charsPerLine) { lines++; run = 0; }
  }
  return lines;
}

/** Whether an entry passes the log's filter (text, peer, or a direction name). */
export function matches(e, filter) {
  if (!filter) return true;
  const text = isData(e) ? e.text : noteText(e);
  return text.toLowerCase().includes(filter) || e.peer.toLowerCase().includes(filter) || e.dir === filter;
}
