// SocketLab's page: talks to the local server over one WebSocket (live events) and a small JSON API.
import { t, setLang, getLang, applyTo } from './i18n.js';
import { drawGlass } from './oled.js';
import { drawRates, human } from './chart.js';

const token = new URLSearchParams(location.search).get('token') || sessionStorage.getItem('socketlab.token') || '';
sessionStorage.setItem('socketlab.token', token);
const MAX_ROWS = 2000, MAX_ENTRIES = 5000, HISTORY_KEY = 'socketlab.sent';
const sessions = new Map();
let info = { addresses: ['0.0.0.0', '127.0.0.1'], encodings: ['utf-8'], greeting: '' };
let active = localStorage.getItem('socketlab.active');

async function api(method, path, body, raw) {
  const headers = { 'X-SocketLab-Token': token };
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api' + path, { method, headers, body: raw ? body : body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try { msg = (await res.json()).error || msg; } catch { /* not JSON */ }
    throw new Error(msg);
  }
  return res.status === 204 ? null : res.headers.get('content-type')?.includes('json') ? res.json() : res.blob();
}

function toast(text, ok) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.className = 'toast' + (ok ? ' ok' : '');
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, ok ? 1800 : 5000);
}

const bytesOf = b64 => Uint8Array.from(atob(b64 || ''), c => c.charCodeAt(0));
const pad = (n, w = 2) => String(n).padStart(w, '0');
const clock = ms => { const d = new Date(ms); return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`; };

function hexDump(bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.slice(i, i + 16);
    const hex = Array.from(row, b => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(i.toString(16).padStart(4, '0') + '  ' + hex.padEnd(47) + '  |' + ascii + '|');
  }
  return lines.join('\n');
}

/** Text with control characters made visible; with showEol, CR/LF appear as \r \n marks (LF still breaks the line). */
function renderText(el, text, showEol) {
  el.textContent = '';
  let buf = '';
  const flush = () => { if (buf) { el.append(buf); buf = ''; } };
  const mark = s => { flush(); const m = document.createElement('span'); m.className = 'eol'; m.textContent = s; el.append(m); };
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (ch === '\r') { if (showEol) mark('\\r'); }
    else if (ch === '\n') { if (showEol) mark('\\n'); buf += '\n'; }
    else if (ch === '\t') buf += ch;
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) mark('\\x' + c.toString(16).padStart(2, '0').toUpperCase());
    else buf += ch;
  }
  flush();
}

/** One log line: time, direction, peer, byte count, then the text (visible CR/LF) or a hex+ASCII dump. */
function entryRow(e, hexView, showEol) {
  const div = document.createElement('div');
  div.className = `entry ${e.dir}${e.echo ? ' echo' : ''}`;
  div.dataset.seq = e.seq;
  const cell = (cls, text) => { const s = document.createElement('span'); s.className = cls; s.textContent = text; div.append(s); return s; };
  const data = e.dir === 'rx' || e.dir === 'tx';
  cell('t', clock(e.time));
  cell('d', data ? t(e.dir) : e.dir === 'error' ? '!' : '·');
  cell('p', e.peer);
  cell('n', data ? e.len + ' B' : '');
  const c = cell('c', '');
  if (hexView && data) {
    const kept = bytesOf(e.b64);
    c.textContent = hexDump(kept) + (kept.length < e.len ? `\n… ${e.len - kept.length} more bytes` : '');
  }
  else renderText(c, e.text, showEol);
  return div;
}

async function download(path, name) {
  const blob = await api('GET', path).catch(err => { toast(err.message); return null; });
  if (!blob) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

class Panel {
  constructor(view) {
    this.id = view.id;
    this.kind = view.kind;
    this.entries = [];
    this.lastSeq = 0;
    this.paused = false;
    this.missed = 0;
    this.rates = [];
    this.rulesLoaded = false;
    this.el = document.getElementById('panel-tpl').content.firstElementChild.cloneNode(true);
    this.el.classList.add(view.kind);
    this.el.dataset.session = view.id;
    for (const k of this.el.querySelectorAll('.kind')) if (!k.classList.contains(view.kind)) k.remove();
    this.f = name => this.el.querySelector(`[data-f="${name}"]`);
    this.q = sel => this.el.querySelector(sel);
    this.fillChoices();
    this.bind();
    document.getElementById('panels').append(this.el);
    this.tab = document.createElement('div');
    this.tab.className = 'tab';
    this.tab.dataset.session = view.id;
    this.tab.innerHTML = '<span class="dot"></span><span class="name"></span><button class="x" title="×">×</button>';
    this.tab.addEventListener('click', e => { if (!e.target.classList.contains('x')) activate(this.id); });
    this.tab.querySelector('.x').addEventListener('click', () => this.close());
    this.tab.querySelector('.name').addEventListener('dblclick', () => this.rename());
    document.getElementById('tabs').append(this.tab);
    applyTo(this.el);
    this.drawOled(view.oled);
    this.renderHistory();
  }

  fillChoices() {
    const address = this.f('address');
    if (address) for (const a of info.addresses) address.add(new Option(a === '0.0.0.0' ? '0.0.0.0 (all)' : a, a));
    for (const name of ['encoding', 'sendEncoding']) for (const e of info.encodings) this.f(name).add(new Option(e, e));
    const greeting = this.f('greeting');
    if (greeting) greeting.value = info.greeting;
    if (this.kind === 'udp') this.f('echo').checked = false; // the UDP apps do not echo unless asked
  }

  bind() {
    this.el.addEventListener('click', e => {
      const a = e.target.closest('[data-a]')?.dataset.a;
      if (a) this.action(a, e.target);
    });
    this.f('echo').addEventListener('change', () => this.call(() => api('PUT', `/sessions/${this.id}/settings`, { echo: this.f('echo').checked })));
    this.f('encoding').addEventListener('change', () => this.call(() => api('PUT', `/sessions/${this.id}/settings`, { encoding: this.f('encoding').value })));
    this.f('record').addEventListener('change', () => this.call(() => api('PUT', `/sessions/${this.id}/record`, { on: this.f('record').checked })));
    for (const name of ['view', 'eol', 'filter']) this.f(name).addEventListener(name === 'filter' ? 'input' : 'change', () => this.renderLog());
    this.f('hex').addEventListener('change', () => {
      this.f('data').dataset.i18nPh = this.f('hex').checked ? 'hexPlaceholder' : 'sendPlaceholder';
      this.f('data').placeholder = t(this.f('data').dataset.i18nPh);
    });
    this.f('data').addEventListener('keydown', e => { if (e.key === 'Enter' && e.ctrlKey) { e.preventDefault(); this.action('send'); } });
    this.f('history').addEventListener('change', () => {
      const item = loadHistory()[Number(this.f('history').value)];
      if (item) { this.f('data').value = item.data; this.f('hex').checked = item.hex; this.f('hex').dispatchEvent(new Event('change')); }
      this.f('history').value = '';
    });
    this.f('file').addEventListener('change', () => this.sendFile());
  }

  async call(fn) {
    try { return await fn(); } catch (err) { toast(err.message); return undefined; }
  }

  async action(a) {
    const id = this.id;
    switch (a) {
      case 'start': return this.call(() => api('POST', `/sessions/${id}/start`, this.startRequest()));
      case 'stop': return this.call(() => api('POST', `/sessions/${id}/stop`));
      case 'preset': this.f('greeting').value = info.greeting; return undefined;
      case 'send': return this.send();
      case 'stop-repeat': return this.call(() => api('POST', `/sessions/${id}/repeat/stop`));
      case 'pause': return this.togglePause();
      case 'clear': return this.call(() => api('POST', `/sessions/${id}/clear`));
      case 'export-text': return this.download('text');
      case 'export-jsonl': return this.download('jsonl');
      case 'add-rule': return this.addRule({ match: 'contains', pattern: '', reply: '', replyIsHex: false, enabled: true });
      case 'save-rules': return this.saveRules();
      case 'kick': return undefined;
      default: return undefined;
    }
  }

  startRequest() {
    const num = name => (this.f(name)?.value === '' ? null : Number(this.f(name)?.value));
    const echo = this.f('echo').checked;
    if (this.kind === 'tcpServer') return { address: this.f('address').value, port: num('port'), echo };
    if (this.kind === 'tcpClient') return { host: this.f('host').value, port: num('port'), echo, greeting: this.f('greeting').value, reconnect: this.f('reconnect').checked };
    return { port: num('port'), host: this.f('host').value, remotePort: num('remotePort'), readTimeoutMs: num('readTimeoutMs'), receiveOnly: this.f('receiveOnly').checked, broadcast: this.f('broadcast').checked, echo };
  }

  sendTarget() {
    const r = {};
    if (this.kind === 'tcpServer') r.target = this.f('target').value || 'all';
    if (this.kind === 'udp') {
      if (this.f('sendHost').value) r.remoteHost = this.f('sendHost').value;
      if (this.f('sendPort').value) r.remotePort = Number(this.f('sendPort').value);
    }
    return r;
  }

  async send() {
    const data = this.f('data').value, hex = this.f('hex').checked;
    // The server checks hex (and everything else) before anything is sent and says what is wrong.
    const body = {
      data, hex, eol: this.f('sendEol').value, encoding: this.f('sendEncoding').value,
      repeatMs: Number(this.f('repeatMs').value || 0), repeatCount: Number(this.f('repeatCount').value || 0), ...this.sendTarget(),
    };
    const ok = await this.call(() => api('POST', `/sessions/${this.id}/send`, body));
    if (ok) remember({ data, hex });
  }

  async sendFile() {
    const file = this.f('file').files[0];
    if (!file) return;
    const q = new URLSearchParams({ name: file.name, ...Object.fromEntries(Object.entries(this.sendTarget()).map(([k, v]) => [k, String(v)])) });
    const bar = this.q('[data-testid=file-progress]');
    bar.hidden = false; bar.max = file.size || 1; bar.value = 0;
    await this.call(() => api('POST', `/sessions/${this.id}/file?${q}`, file, true));
    this.f('file').value = '';
  }

  fileProgress(e) {
    const bar = this.q('[data-testid=file-progress]');
    bar.hidden = false;
    bar.max = e.total || e.sent || 1;
    bar.value = e.sent;
    this.q('.file-note').textContent = t('fileProgress', { name: e.name, sent: e.sent, total: e.total ?? '?' });
  }

  download(format) {
    return download(`/sessions/${this.id}/export?format=${format}`, `socketlab-${this.id}.${format === 'jsonl' ? 'jsonl' : 'txt'}`);
  }

  togglePause() {
    this.paused = !this.paused;
    this.q('[data-a=pause]').dataset.i18n = this.paused ? 'resume' : 'pause';
    this.q('[data-a=pause]').textContent = t(this.paused ? 'resume' : 'pause');
    if (!this.paused) { this.missed = 0; this.renderLog(); }
    this.q('.paused-note').textContent = this.paused ? t('paused', { n: 0 }) : '';
  }

  async close() {
    if (!confirm(t('closeSession'))) return;
    await this.call(() => api('DELETE', `/sessions/${this.id}`));
  }

  async rename() {
    const name = prompt(t('rename'), this.view?.title || '');
    if (name) await this.call(() => api('PUT', `/sessions/${this.id}/settings`, { title: name }));
  }

  update(view) {
    this.view = view;
    const live = ['listening', 'connected', 'open'].includes(view.state);
    this.tab.querySelector('.name').textContent = view.title;
    this.tab.querySelector('.dot').className = 'dot' + (live ? ' live' : ['connecting', 'reconnecting'].includes(view.state) ? ' wait' : '');
    const state = this.q('.state');
    state.textContent = t('state_' + view.state);
    state.className = 'state' + (live ? ' live' : '');
    state.dataset.state = view.state;
    const d = view.details || {};
    this.q('.where').textContent = d.listeningOn || (d.remote ? `${d.local} → ${d.remote}` : '') || d.local || d.target || '';
    this.q('.error').textContent = view.error || '';
    if (document.activeElement !== this.f('echo')) this.f('echo').checked = view.echo;
    if (document.activeElement !== this.f('encoding')) this.f('encoding').value = view.encoding;
    this.transcript(view);
    for (const b of this.el.querySelectorAll('[data-a=start]')) b.disabled = view.state !== 'idle';
    for (const b of this.el.querySelectorAll('[data-a=stop]')) b.disabled = view.state === 'idle';
    this.counters(view);
    if (d.clients) this.clients(d.clients);
    this.q('.oled-missing').hidden = view.oledAvailable;
    this.q('canvas.oled').hidden = !view.oledAvailable;
    if (!this.rulesLoaded) { this.rulesLoaded = true; this.q('.rules').textContent = ''; for (const r of view.rules || []) this.addRule(r); }
    this.q('.repeat-note').textContent = view.repeat ? t('repeating', { sent: view.repeat.sent }) : '';
  }

  /** The Record toggle and the transcript file: a plain link to the token-guarded API, so the browser streams it. */
  transcript(view) {
    if (document.activeElement !== this.f('record')) this.f('record').checked = view.recording;
    const box = this.q('.transcript');
    box.hidden = !view.transcript;
    if (!view.transcript) return;
    const file = view.transcript.split(/[\\/]/).pop();
    this.q('.transcript-path').textContent = `${t(view.recording ? 'recordingTo' : 'recordedTo')} ${view.transcript}`;
    const link = this.q('[data-testid=download-transcript]');
    link.href = `/api/sessions/${this.id}/transcript?token=${encodeURIComponent(token)}`;
    link.download = file;
  }

  counters(c) {
    this.count = { rxBytes: c.rxBytes, txBytes: c.txBytes, rxCount: c.rxCount, txCount: c.txCount };
    this.q('.counters').innerHTML = '';
    const add = (cls, label, bytes, count) => {
      const s = document.createElement('span');
      s.className = cls;
      s.dataset.testid = cls;
      s.textContent = `${label} ${bytes} ${t('bytes')} / ${count} ${t('msgs')}`;
      this.q('.counters').append(s);
    };
    add('rx', t('rx'), c.rxBytes, c.rxCount);
    add('tx', t('tx'), c.txBytes, c.txCount);
  }

  clients(list) {
    const body = this.q('.clients tbody');
    body.textContent = '';
    for (const c of list) {
      const tr = document.createElement('tr');
      tr.dataset.client = c.id;
      for (const v of [c.id, c.address, human(c.bytesIn), human(c.bytesOut), new Date(c.since).toLocaleTimeString()]) {
        const td = document.createElement('td'); td.textContent = v; tr.append(td);
      }
      const td = document.createElement('td');
      const kick = document.createElement('button');
      kick.textContent = t('kick');
      kick.dataset.testid = 'kick';
      kick.addEventListener('click', () => this.call(() => api('POST', `/sessions/${this.id}/kick/${c.id}`)));
      td.append(kick); tr.append(td); body.append(tr);
    }
    this.q('.no-clients').hidden = list.length > 0;
    const target = this.f('target');
    const keep = target.value;
    target.textContent = '';
    target.add(new Option(t('allClients'), 'all'));
    for (const c of list) target.add(new Option(`#${c.id} ${c.address}`, String(c.id)));
    target.value = [...target.options].some(o => o.value === keep) ? keep : 'all';
  }

  stats(e) {
    this.counters(e);
    if (e.details?.clients) this.clients(e.details.clients);
    this.rates.push(e.rate);
    if (this.rates.length > 60) this.rates.shift();
    if (this.el.classList.contains('active')) drawRates(this.q('canvas.rates'), this.rates);
  }

  drawOled(glass) {
    if (glass) this.glass = glass;
    drawGlass(this.q('canvas.oled'), this.glass);
  }

  addRule(r) {
    const row = document.createElement('div');
    row.className = 'rule';
    row.innerHTML = `<input type="checkbox" data-r="enabled" title="on"><select data-r="match"></select>
      <input type="text" data-r="pattern"><input type="text" data-r="reply"><input type="checkbox" data-r="replyIsHex"><button data-r="remove">×</button>`;
    const match = row.querySelector('[data-r=match]');
    for (const m of ['equals', 'contains', 'regex', 'hex']) match.add(new Option(t('m_' + m), m));
    row.querySelector('[data-r=enabled]').checked = r.enabled;
    match.value = r.match;
    row.querySelector('[data-r=pattern]').value = r.pattern;
    row.querySelector('[data-r=pattern]').placeholder = t('when');
    row.querySelector('[data-r=reply]').value = r.reply;
    row.querySelector('[data-r=reply]').placeholder = t('reply');
    row.querySelector('[data-r=replyIsHex]').checked = r.replyIsHex;
    row.querySelector('[data-r=replyIsHex]').title = t('replyHex');
    row.querySelector('[data-r=remove]').addEventListener('click', () => row.remove());
    this.q('.rules').append(row);
  }

  async saveRules() {
    const rules = [...this.el.querySelectorAll('.rule')].map(row => ({
      enabled: row.querySelector('[data-r=enabled]').checked,
      match: row.querySelector('[data-r=match]').value,
      pattern: row.querySelector('[data-r=pattern]').value,
      reply: row.querySelector('[data-r=reply]').value,
      replyIsHex: row.querySelector('[data-r=replyIsHex]').checked,
    }));
    if (await this.call(() => api('PUT', `/sessions/${this.id}/rules`, rules))) toast(t('rulesSaved'), true);
  }

  setLog(entries) {
    this.entries = entries.slice(-MAX_ENTRIES);
    this.lastSeq = this.entries.length ? this.entries[this.entries.length - 1].seq : this.lastSeq;
    this.renderLog();
  }

  append(e) {
    if (e.seq <= this.lastSeq) return;
    this.lastSeq = e.seq;
    this.entries.push(e);
    // Counters move with the log at once; the once-a-second stats event corrects them.
    if (this.count && (e.dir === 'rx' || e.dir === 'tx')) {
      this.count[e.dir + 'Bytes'] += e.len;
      this.count[e.dir + 'Count'] += 1;
      this.counters(this.count);
    }
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    if (this.paused) { this.missed++; this.q('.paused-note').textContent = t('paused', { n: this.missed }); return; }
    if (!this.matches(e)) return;
    const log = this.q('.log');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.append(this.row(e));
    while (log.childElementCount > MAX_ROWS) log.firstElementChild.remove();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  matches(e) {
    const f = this.f('filter').value.trim().toLowerCase();
    return !f || e.text.toLowerCase().includes(f) || e.peer.toLowerCase().includes(f) || e.dir === f;
  }

  renderLog() {
    const log = this.q('.log');
    log.textContent = '';
    const rows = this.entries.filter(e => this.matches(e)).slice(-MAX_ROWS);
    const frag = document.createDocumentFragment();
    for (const e of rows) frag.append(this.row(e));
    log.append(frag);
    log.scrollTop = log.scrollHeight;
  }

  row(e) { return entryRow(e, this.f('view').value === 'hex', this.f('eol').checked); }

  renderHistory() {
    const sel = this.f('history');
    while (sel.options.length > 1) sel.remove(1);
    loadHistory().forEach((h, i) => sel.add(new Option((h.hex ? '[HEX] ' : '') + h.data.slice(0, 60), String(i))));
  }

  remove() { this.el.remove(); this.tab.remove(); }
}

/** The History view: past sessions from the SQLite store, searchable and exportable. */
const past = {
  el: () => document.getElementById('history'),
  selected: null,
  async show(on) {
    this.el().hidden = !on;
    document.getElementById('panels').hidden = on;
    document.getElementById('tabs').hidden = on;
    if (on) await this.search();
  },
  async search() {
    const q = document.getElementById('history-q').value.trim();
    const list = await api('GET', '/history/sessions' + (q ? '?q=' + encodeURIComponent(q) : '')).catch(err => { toast(err.message); return []; });
    const body = document.querySelector('#history-sessions tbody');
    body.textContent = '';
    for (const s of list) {
      const tr = document.createElement('tr');
      tr.dataset.history = s.id;
      for (const v of [s.id, t(s.kind), s.title, new Date(s.startedAt).toLocaleString(), s.events, human(s.bytes)]) {
        const td = document.createElement('td'); td.textContent = v; tr.append(td);
      }
      tr.addEventListener('click', () => this.open(s.id));
      body.append(tr);
    }
    document.getElementById('history-none').hidden = list.length > 0;
    if (list.length && !list.some(s => s.id === this.selected)) this.open(list[0].id);
  },
  async open(id) {
    this.selected = id;
    for (const tr of document.querySelectorAll('#history-sessions tr[data-history]')) tr.classList.toggle('selected', Number(tr.dataset.history) === id);
    const q = document.getElementById('history-q').value.trim();
    const events = await api('GET', `/history/sessions/${id}/events` + (q ? '?q=' + encodeURIComponent(q) : '')).catch(err => { toast(err.message); return []; });
    const log = document.getElementById('history-log');
    log.textContent = '';
    const hex = document.getElementById('history-view').value === 'hex';
    for (const e of events) log.append(entryRow(e, hex, true));
  },
};

function loadHistory() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]'); } catch { return []; }
}

function remember(item) {
  const list = loadHistory().filter(h => h.data !== item.data || h.hex !== item.hex);
  list.unshift(item);
  localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, 30)));
  for (const p of sessions.values()) p.renderHistory();
}

function activate(id) {
  if (!sessions.has(id)) id = sessions.keys().next().value;
  active = id;
  if (id) localStorage.setItem('socketlab.active', id);
  for (const p of sessions.values()) {
    const on = p.id === id;
    p.el.classList.toggle('active', on);
    p.tab.classList.toggle('active', on);
    if (on) { drawRates(p.q('canvas.rates'), p.rates); p.drawOled(); }
  }
  document.getElementById('empty').hidden = sessions.size > 0;
}

function upsert(view) {
  let p = sessions.get(view.id);
  if (!p) { p = new Panel(view); sessions.set(view.id, p); }
  p.update(view);
  return p;
}

function removeSession(id) {
  sessions.get(id)?.remove();
  sessions.delete(id);
  if (active === id) activate(sessions.keys().next().value);
  else activate(active);
}

function handle(e) {
  const p = sessions.get(e.session?.id ?? e.session);
  switch (e.type) {
    case 'hello': {
      const ids = new Set(e.sessions.map(s => s.id));
      for (const id of [...sessions.keys()]) if (!ids.has(id)) removeSession(id);
      for (const s of e.sessions) {
        const panel = upsert(s);
        panel.setLog(s.log || []);
        panel.rates = s.rates || [];
        panel.drawOled(s.oled);
      }
      activate(active);
      break;
    }
    case 'session': { const isNew = !sessions.has(e.session.id); upsert(e.session); if (isNew) activate(e.session.id); break; }
    case 'removed': removeSession(e.session); break;
    case 'log': p?.append(e.entry); break;
    case 'cleared': if (p) { p.entries = []; p.rates = []; p.renderLog(); } break;
    case 'stats': p?.stats(e); break;
    case 'oled': p?.drawOled(e.glass); break;
    case 'repeat': if (p) p.q('.repeat-note').textContent = e.active ? t('repeating', { sent: e.sent }) : ''; break;
    case 'file': p?.fileProgress(e); break;
    default: break;
  }
}

function connect() {
  const link = document.getElementById('link');
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`);
  ws.onopen = () => { link.className = 'link on'; link.dataset.i18n = 'connected'; link.textContent = t('connected'); };
  ws.onmessage = m => { for (const e of JSON.parse(m.data)) handle(e); };
  ws.onclose = () => {
    link.className = 'link off'; link.dataset.i18n = 'disconnected'; link.textContent = t('disconnected');
    setTimeout(connect, 1000);
  };
}

async function main() {
  const lang = document.getElementById('lang');
  lang.value = getLang();
  lang.addEventListener('change', () => {
    setLang(lang.value);
    for (const p of sessions.values()) { if (p.view) p.update(p.view); p.renderLog(); }
  });
  applyTo(document);
  for (const b of document.querySelectorAll('header [data-kind]')) {
    b.addEventListener('click', async () => {
      const v = await api('POST', '/sessions', { kind: b.dataset.kind }).catch(err => toast(err.message));
      if (v) { upsert(v); activate(v.id); }
    });
  }
  document.getElementById('history-open').addEventListener('click', () => past.show(past.el().hidden));
  document.getElementById('history-back').addEventListener('click', () => past.show(false));
  document.getElementById('history-search').addEventListener('click', () => past.search());
  document.getElementById('history-q').addEventListener('keydown', e => { if (e.key === 'Enter') past.search(); });
  document.getElementById('history-view').addEventListener('change', () => past.selected && past.open(past.selected));
  for (const fmt of ['text', 'jsonl']) {
    document.getElementById('history-export-' + fmt).addEventListener('click', () => {
      if (past.selected) download(`/history/sessions/${past.selected}/export?format=${fmt}`, `socketlab-history-${past.selected}.${fmt === 'jsonl' ? 'jsonl' : 'txt'}`);
    });
  }
  try { info = await api('GET', '/info'); } catch (err) { toast(err.message); }
  document.getElementById('history-open').hidden = !info.history;
  connect();
}

main();
