// A tab's send box: text or HEX with its own line ending each, what was sent before, repeats and Send file.
import { t } from './i18n.js';
import { api, attempt } from './api.js';

const SENT_KEY = 'socketlab.sent';

/** What was sent before (the send box's history list), newest first, kept in this browser. */
export function sentBefore() {
  try { return JSON.parse(localStorage.getItem(SENT_KEY) || '[]'); } catch { return []; }
}

function rememberSent(item) {
  const list = sentBefore().filter(h => h.data !== item.data || h.hex !== item.hex);
  list.unshift(item);
  localStorage.setItem(SENT_KEY, JSON.stringify(list.slice(0, 30)));
}

export class SendBox {
  /** @param panel the tab: its id, kind, fields (f, q) and ctx */
  constructor(panel) {
    this.panel = panel;
    this.eolFor = { text: 'none', hex: 'none' };
    const f = panel.f;
    // HEX sends are exactly the bytes typed: each mode keeps its own line ending (HEX starts with none).
    f('sendEol').addEventListener('change', () => { this.eolFor[f('hex').checked ? 'hex' : 'text'] = f('sendEol').value; });
    f('hex').addEventListener('change', () => {
      const hex = f('hex').checked;
      f('sendEol').value = this.eolFor[hex ? 'hex' : 'text'];
      f('data').dataset.i18nPh = hex ? 'hexPlaceholder' : 'sendPlaceholder';
      f('data').placeholder = t(f('data').dataset.i18nPh);
    });
    f('data').addEventListener('keydown', e => { if (e.key === 'Enter' && e.ctrlKey) { e.preventDefault(); this.send(); } });
    f('history').addEventListener('change', () => {
      const item = sentBefore()[Number(f('history').value)];
      if (item) { f('data').value = item.data; f('hex').checked = item.hex; f('hex').dispatchEvent(new Event('change')); }
      f('history').value = '';
    });
    f('file').addEventListener('change', () => this.sendFile());
  }

  /** Where a send goes: a TCP server's chosen client (or all), a UDP session's destination if given. */
  target() {
    const { kind, f } = this.panel;
    const r = {};
    if (kind === 'tcpServer') r.target = f('target').value || 'all';
    if (kind === 'udp') {
      if (f('sendHost').value) r.remoteHost = f('sendHost').value;
      if (f('sendPort').value) r.remotePort = Number(f('sendPort').value);
    }
    return r;
  }

  async send() {
    const { f, id, ctx } = this.panel;
    const data = f('data').value, hex = f('hex').checked;
    // The server checks hex (and everything else) before anything is sent and says what is wrong.
    const body = {
      data, hex, eol: f('sendEol').value, encoding: f('sendEncoding').value, escapes: f('escapes').checked, macros: f('macros').checked,
      checksum: f('checksum').value, checksumOrder: f('checksumOrder').value || null,
      repeatMs: Number(f('repeatMs').value || 0), repeatCount: Number(f('repeatCount').value || 0), ...this.target(),
    };
    const ok = await attempt(() => api('POST', `/sessions/${id}/send`, body));
    if (ok) { rememberSent({ data, hex }); ctx.sentChanged(); }
  }

  async sendFile() {
    const { f, q, id } = this.panel;
    const file = f('file').files[0];
    if (!file) return;
    const q2 = new URLSearchParams({ name: file.name, chunk: f('chunk').value || '8192', delayMs: f('chunkDelay').value || '0', ...Object.fromEntries(Object.entries(this.target()).map(([k, v]) => [k, String(v)])) });
    const bar = q('[data-testid=file-progress]');
    bar.hidden = false; bar.max = file.size || 1; bar.value = 0;
    await attempt(() => api('POST', `/sessions/${id}/file?${q2}`, file, { raw: true }));
    f('file').value = '';
  }

  fileProgress(e) {
    const { q } = this.panel;
    const bar = q('[data-testid=file-progress]');
    bar.hidden = false;
    bar.max = e.total || e.sent || 1;
    bar.value = e.sent;
    q('.file-note').textContent = t('fileProgress', { name: e.name, sent: e.sent, total: e.total ?? '?' });
  }

  showRepeat(sent) { this.panel.q('.repeat-note').textContent = sent === null ? '' : t('repeating', { sent }); }

  renderSentBefore() {
    const sel = this.panel.f('history');
    while (sel.options.length > 1) sel.remove(1);
    sentBefore().forEach((h, i) => sel.add(new Option((h.hex ? '[HEX] ' : '') + h.data.slice(0, 60), String(i))));
  }
}
