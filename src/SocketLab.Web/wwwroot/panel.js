// One session's tab: its settings, log, send box, clients, OLED, rates and auto-reply rules.
import { t, notice, applyTo } from './i18n.js';
import { api, attempt, download, toast } from './api.js';
import { drawGlass } from './oled.js';
import { drawRates, human } from './chart.js';
import { LogView } from './logview.js';

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

export class Panel {
  /**
   * @param view the session as the server describes it
   * @param ctx { info, activate(id), sentChanged() }
   */
  constructor(view, ctx) {
    this.id = view.id;
    this.kind = view.kind;
    this.ctx = ctx;
    this.rates = [];
    this.rulesLoaded = false;
    this.appliedSettings = null;
    this.count = null;
    this.countScheduled = false;
    this.eolFor = { text: 'none', hex: 'none' };
    this.el = document.getElementById('panel-tpl').content.firstElementChild.cloneNode(true);
    this.el.classList.add(view.kind);
    this.el.dataset.session = view.id;
    for (const k of this.el.querySelectorAll('.kind')) if (!k.classList.contains(view.kind)) k.remove();
    this.f = name => this.el.querySelector(`[data-f="${name}"]`);
    this.q = sel => this.el.querySelector(sel);
    this.log = new LogView(this.q('.log'), this.q('.follow'), seq => api('GET', `/sessions/${this.id}/log?before=${seq}&limit=1000`));
    this.fillChoices();
    this.bind();
    if (this.kind === 'serial') {
      // Each tab's pickers get their own ids (the template's would repeat).
      for (const list of this.el.querySelectorAll('datalist')) {
        const input = this.el.querySelector(`[list="${list.id}"]`);
        list.id += '-' + this.id;
        input.setAttribute('list', list.id);
      }
      this.refreshPorts(false);
    }
    document.getElementById('panels').append(this.el);
    this.tab = document.createElement('div');
    this.tab.className = 'tab';
    this.tab.dataset.session = view.id;
    this.tab.dataset.testid = 'tab';
    this.tab.innerHTML = '<span class="dot"></span><span class="name"></span><button class="x" title="×" aria-label="close">×</button>';
    this.tab.addEventListener('click', e => { if (!e.target.classList.contains('x')) ctx.activate(this.id); });
    this.tab.querySelector('.x').addEventListener('click', () => this.close());
    this.tab.querySelector('.name').addEventListener('dblclick', () => this.rename());
    this.tab.querySelector('.name').title = t('rename');
    document.getElementById('tabs').append(this.tab);
    applyTo(this.el);
    this.drawOled(view.oled);
    this.renderSentBefore();
    this.renderLists();
  }

  get active() { return this.el.classList.contains('active'); }

  setActive(on) {
    this.el.classList.toggle('active', on);
    this.tab.classList.toggle('active', on);
    this.log.setVisible(on);
    if (on) { drawRates(this.q('canvas.rates'), this.rates); this.drawOled(); }
  }

  fillChoices() {
    const address = this.f('address');
    if (address) for (const a of this.ctx.info.addresses) address.add(new Option(a === '0.0.0.0' ? `0.0.0.0 (${t('allAddresses')})` : a, a));
    for (const name of ['encoding', 'sendEncoding']) for (const e of this.ctx.info.encodings) this.f(name).add(new Option(e, e));
    const greeting = this.f('greeting');
    if (greeting) greeting.value = this.ctx.info.greeting;
    for (const f of this.ctx.info.firmwares ?? ['latest']) this.f('firmware').add(new Option(f === 'latest' ? t('firmwareLatest') : f, f));
    this.f('firmware').value = this.ctx.info.firmware ?? 'latest';
    for (const name of ['checksum', 'verify']) {
      for (const c of this.ctx.info.checksums ?? []) { const o = new Option(c.name, c.name); o.title = c.title; this.f(name).add(o); }
    }
  }

  /** The serial ports there are, as suggestions for the port field (any name can still be typed). */
  async refreshPorts(asked = true) {
    const ports = await attempt(() => api('GET', '/serial/ports'));
    if (!ports) return;
    const list = this.el.querySelector('datalist[id^="serial-ports"]');
    list.textContent = '';
    for (const p of ports) {
      const o = new Option(p.description ? `${p.description}${p.vid ? ` (${p.vid}:${p.pid})` : ''}` : p.driver ?? '', p.name);
      list.append(o);
    }
    if (!this.f('device').value && ports.length === 1) this.f('device').value = ports[0].name;
    if (!ports.length && asked) toast(t('noSerialPorts'));
  }

  /** A byte-order choice only for checksums of two or more bytes. */
  showOrder(select, order) {
    const c = (this.ctx.info.checksums ?? []).find(x => x.name === select.value);
    order.hidden = !c || c.size < 2;
  }

  bind() {
    this.el.addEventListener('click', e => {
      const a = e.target.closest('[data-a]')?.dataset.a;
      if (a) this.action(a);
    });
    const put = body => attempt(() => api('PUT', `/sessions/${this.id}/settings`, body));
    this.f('echo').addEventListener('change', () => put({ echo: this.f('echo').checked }));
    this.f('encoding').addEventListener('change', () => put({ encoding: this.f('encoding').value }));
    this.f('framing').addEventListener('change', () => put({ framing: this.f('framing').value }));
    const verify = () => { this.showOrder(this.f('verify'), this.f('verifyOrder')); put({ verify: this.f('verify').value, verifyOrder: this.f('verifyOrder').value }); };
    this.f('verify').addEventListener('change', verify);
    this.f('verifyOrder').addEventListener('change', verify);
    this.f('checksum').addEventListener('change', () => this.showOrder(this.f('checksum'), this.f('checksumOrder')));
    this.f('record').addEventListener('change', () => attempt(() => api('PUT', `/sessions/${this.id}/record`, { on: this.f('record').checked })));
    this.f('save').addEventListener('change', () => attempt(() => api('PUT', `/sessions/${this.id}/save`, { on: this.f('save').checked })));
    for (const name of ['view', 'eol']) this.f(name).addEventListener('change', () => this.log.setMode(this.f('view').value === 'hex', this.f('eol').checked));
    this.f('filter').addEventListener('input', () => this.log.setFilter(this.f('filter').value));
    // HEX sends are exactly the bytes typed: each mode keeps its own line ending (HEX starts with none).
    this.f('sendEol').addEventListener('change', () => { this.eolFor[this.f('hex').checked ? 'hex' : 'text'] = this.f('sendEol').value; });
    this.f('hex').addEventListener('change', () => {
      const hex = this.f('hex').checked;
      this.f('sendEol').value = this.eolFor[hex ? 'hex' : 'text'];
      this.f('data').dataset.i18nPh = hex ? 'hexPlaceholder' : 'sendPlaceholder';
      this.f('data').placeholder = t(this.f('data').dataset.i18nPh);
    });
    this.f('data').addEventListener('keydown', e => { if (e.key === 'Enter' && e.ctrlKey) { e.preventDefault(); this.action('send'); } });
    this.f('history').addEventListener('change', () => {
      const item = sentBefore()[Number(this.f('history').value)];
      if (item) { this.f('data').value = item.data; this.f('hex').checked = item.hex; this.f('hex').dispatchEvent(new Event('change')); }
      this.f('history').value = '';
    });
    this.f('file').addEventListener('change', () => this.sendFile());
    this.f('list').addEventListener('change', () => this.renderLists());
    this.f('listFile').addEventListener('change', async () => {
      const file = this.f('listFile').files[0];
      this.f('listFile').value = '';
      if (file) await this.saveList(await file.text());
    });
    if (this.kind === 'board') {
      // A .py file opened from disk lands in the editor; Run sends the editor's text.
      this.f('programFile').addEventListener('change', async () => {
        const file = this.f('programFile').files[0];
        if (file) this.f('program').value = await file.text();
        this.f('programFile').value = '';
      });
      // Buttons A and B are held while pressed, as on the board (button_a.value() is 0 while held).
      for (const b of this.el.querySelectorAll('[data-button]')) {
        const press = down => {
          if (b.classList.contains('held') === down) return;
          b.classList.toggle('held', down);
          // A release after the program ended has nobody to tell.
          if (down || this.view?.state === 'running')
            attempt(() => api('POST', `/sessions/${this.id}/button`, { name: b.dataset.button, pressed: down }));
        };
        b.addEventListener('pointerdown', e => {
          press(true);
          try { b.setPointerCapture(e.pointerId); } catch { /* a pointer the browser does not track (synthetic) */ }
        });
        for (const ev of ['pointerup', 'pointercancel', 'lostpointercapture']) b.addEventListener(ev, () => press(false));
        b.addEventListener('keydown', e => { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); press(true); } });
        b.addEventListener('keyup', e => { if (e.key === ' ' || e.key === 'Enter') press(false); });
      }
    }
  }

  async action(a) {
    const id = this.id;
    switch (a) {
      case 'start': return attempt(() => api('POST', `/sessions/${id}/start`, this.startRequest()));
      case 'stop': return attempt(() => api('POST', `/sessions/${id}/stop`));
      case 'preset': this.f('greeting').value = this.ctx.info.greeting; return undefined;
      case 'send': return this.send();
      case 'stop-repeat': return attempt(() => api('POST', `/sessions/${id}/repeat/stop`));
      case 'pause': return this.togglePause();
      case 'clear': return attempt(() => api('POST', `/sessions/${id}/clear`));
      case 'export-text': return download(`/sessions/${id}/export?format=text`, `socketlab-${id}.txt`);
      case 'export-jsonl': return download(`/sessions/${id}/export?format=jsonl`, `socketlab-${id}.jsonl`);
      case 'list-new': return this.editList({ name: t('listNew') + ' ' + ((this.ctx.lists?.length ?? 0) + 1), repeat: 1, commands: [{ name: 'hello', data: 'hello mPython', eol: 'crlf' }] });
      case 'list-edit': return this.selectedList() ? this.editList(this.selectedList()) : undefined;
      case 'list-cancel': this.q('.list-editor').hidden = true; return undefined;
      case 'list-save': return this.saveList(this.f('listJson').value);
      case 'list-export': {
        const list = this.selectedList();
        if (!list) return undefined;
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([JSON.stringify(list, null, 2)], { type: 'application/json' }));
        a.download = `${list.name}.json`;
        document.body.append(a); a.click(); a.remove();
        return undefined;
      }
      case 'list-delete': {
        const list = this.selectedList();
        if (!list || !confirm(t('confirmDeleteList', { name: list.name }))) return undefined;
        if (await attempt(() => api('DELETE', `/lists/${encodeURIComponent(list.name)}`)) === null) await this.ctx.reloadLists();
        return undefined;
      }
      case 'list-run': {
        const list = this.selectedList();
        if (!list) return undefined;
        return attempt(() => api('POST', `/sessions/${id}/run-list`, { name: list.name, repeat: Number(this.f('listRepeat').value || 1), ...this.sendTarget() }));
      }
      case 'list-stop': return attempt(() => api('POST', `/sessions/${id}/run-list/stop`));
      case 'refresh-ports': return this.refreshPorts(true);
      case 'add-rule': return this.addRule({ match: 'contains', pattern: '', reply: '', replyIsHex: false, enabled: true });
      case 'save-rules': return this.saveRules();
      default: return undefined;
    }
  }

  startRequest() {
    const num = name => (this.f(name)?.value === '' ? null : Number(this.f(name)?.value));
    const echo = this.f('echo').checked, firmware = this.f('firmware').value;
    if (this.kind === 'tcpServer') return { address: this.f('address').value, port: num('port'), echo, board: this.f('board').checked, firmware };
    if (this.kind === 'tcpClient') return { host: this.f('host').value, port: num('port'), echo, greeting: this.f('greeting').value, reconnect: this.f('reconnect').checked, firmware };
    if (this.kind === 'board') return { program: this.f('program').value, ip: this.f('ip').value || null, firmware };
    if (this.kind === 'relay') return { address: this.f('address').value, port: num('port'), host: this.f('host').value, remotePort: num('remotePort') };
    if (this.kind === 'serial') return { device: this.f('device').value, baud: num('baud'), dataBits: num('dataBits'), parity: this.f('parity').value, stopBits: this.f('stopBits').value, flow: this.f('flow').value, echo, firmware };
    return { port: num('port'), host: this.f('host').value, remotePort: num('remotePort'), readTimeoutMs: num('readTimeoutMs'), receiveOnly: this.f('receiveOnly').checked, broadcast: this.f('broadcast').checked, echo, firmware };
  }

  selectedList() { return (this.ctx.lists ?? []).find(l => l.name === this.f('list').value); }

  /** The lists (shared by every tab) in the picker, and the chosen one's commands as buttons. */
  renderLists() {
    const sel = this.f('list');
    const keep = sel.value;
    sel.textContent = '';
    const lists = this.ctx.lists ?? [];
    if (!lists.length) sel.add(new Option(t('listNone'), ''));
    for (const l of lists) sel.add(new Option(l.name, l.name));
    if (lists.some(l => l.name === keep)) sel.value = keep;
    const box = this.q('.commands');
    box.textContent = '';
    (this.selectedList()?.commands ?? []).forEach((c, i) => {
      const b = document.createElement('button');
      b.dataset.testid = 'command';
      b.title = (c.hex ? '[HEX] ' : '') + c.data + (c.expect ? `  →  ${c.expect}` : '');
      if (i < 9) { const k = document.createElement('span'); k.className = 'key'; k.textContent = String(i + 1); b.append(k); }
      b.append(c.name || c.data);
      b.addEventListener('click', () => this.sendCommand(i));
      box.append(b);
    });
  }

  /** Sends one command of the chosen list, built as the send box would build it. */
  async sendCommand(index) {
    const c = this.selectedList()?.commands?.[index];
    if (!c) return;
    const body = {
      data: c.data ?? '', hex: !!c.hex, escapes: !!c.escapes, macros: !!c.macros, eol: c.eol ?? 'none',
      checksum: c.checksum ?? 'none', checksumOrder: c.checksumOrder ?? null, ...this.sendTarget(),
    };
    await attempt(() => api('POST', `/sessions/${this.id}/send`, body));
  }

  editList(list) {
    this.q('.list-editor').hidden = false;
    this.f('listJson').value = JSON.stringify(list, null, 2);
    this.f('listJson').focus();
  }

  async saveList(json) {
    let body;
    try { body = JSON.parse(json); } catch (err) { toast(t('c.badList', { detail: err.message })); return; }
    const saved = await attempt(() => api('PUT', '/lists', body));
    if (!saved) return;
    this.q('.list-editor').hidden = true;
    toast(t('listSaved'), true);
    await this.ctx.reloadLists();
    this.f('list').value = saved.name;
    for (const p of this.ctx.panels()) p.renderLists();
  }

  /** After a reload (or in a second window) the form shows what the running session was started with. */
  applySettings(view) {
    const s = view.settings;
    const json = JSON.stringify(s ?? null);
    if (!s || json === this.appliedSettings) return;
    this.appliedSettings = json;
    const set = (name, value) => {
      const el = this.f(name);
      if (!el || value === undefined || value === null || document.activeElement === el) return;
      if (el.type === 'checkbox') el.checked = !!value;
      else {
        if (el.tagName === 'SELECT' && ![...el.options].some(o => o.value === String(value))) el.add(new Option(String(value), String(value)));
        el.value = String(value);
      }
    };
    if (s.firmware) set('firmware', s.firmware);
    if (this.kind === 'tcpServer') { set('address', s.address || '0.0.0.0'); set('port', s.port); set('board', s.board); }
    else if (this.kind === 'board') { set('program', s.program); set('ip', s.ip ?? ''); }
    else if (this.kind === 'relay') { set('address', s.address || '0.0.0.0'); set('port', s.port); set('host', s.host); set('remotePort', s.remotePort); }
    else if (this.kind === 'serial') { set('device', s.device); set('baud', s.baud); set('dataBits', s.dataBits); set('parity', s.parity); set('stopBits', s.stopBits); set('flow', s.flow); }
    else if (this.kind === 'tcpClient') { set('host', s.host); set('port', s.port); set('greeting', s.greeting ?? ''); set('reconnect', s.reconnect); }
    else {
      set('port', s.port); set('host', s.host); set('remotePort', s.remotePort); set('readTimeoutMs', s.readTimeoutMs);
      set('receiveOnly', s.receiveOnly); set('broadcast', s.broadcast);
    }
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
      data, hex, eol: this.f('sendEol').value, encoding: this.f('sendEncoding').value, escapes: this.f('escapes').checked, macros: this.f('macros').checked,
      checksum: this.f('checksum').value, checksumOrder: this.f('checksumOrder').value || null,
      repeatMs: Number(this.f('repeatMs').value || 0), repeatCount: Number(this.f('repeatCount').value || 0), ...this.sendTarget(),
    };
    const ok = await attempt(() => api('POST', `/sessions/${this.id}/send`, body));
    if (ok) { rememberSent({ data, hex }); this.ctx.sentChanged(); }
  }

  async sendFile() {
    const file = this.f('file').files[0];
    if (!file) return;
    const q = new URLSearchParams({ name: file.name, chunk: this.f('chunk').value || '8192', delayMs: this.f('chunkDelay').value || '0', ...Object.fromEntries(Object.entries(this.sendTarget()).map(([k, v]) => [k, String(v)])) });
    const bar = this.q('[data-testid=file-progress]');
    bar.hidden = false; bar.max = file.size || 1; bar.value = 0;
    await attempt(() => api('POST', `/sessions/${this.id}/file?${q}`, file, { raw: true }));
    this.f('file').value = '';
  }

  fileProgress(e) {
    const bar = this.q('[data-testid=file-progress]');
    bar.hidden = false;
    bar.max = e.total || e.sent || 1;
    bar.value = e.sent;
    this.q('.file-note').textContent = t('fileProgress', { name: e.name, sent: e.sent, total: e.total ?? '?' });
  }

  togglePause() {
    const paused = !this.log.paused;
    this.log.setPaused(paused);
    this.q('[data-a=pause]').dataset.i18n = paused ? 'resume' : 'pause';
    this.q('[data-a=pause]').textContent = t(paused ? 'resume' : 'pause');
    this.showPaused();
  }

  showPaused() { this.q('.paused-note').textContent = this.log.paused ? t('paused', { n: this.log.unseen }) : ''; }

  async close() {
    if (!confirm(t('closeSession'))) return;
    await attempt(() => api('DELETE', `/sessions/${this.id}`));
  }

  async rename() {
    const name = prompt(t('rename'), this.view?.named ? this.view.title : t(this.kind));
    if (name) await attempt(() => api('PUT', `/sessions/${this.id}/settings`, { title: name }));
  }

  get title() { return this.view?.named ? this.view.title : t(this.kind); }

  update(view) {
    this.view = view;
    const live = ['listening', 'connected', 'open', 'running'].includes(view.state);
    this.tab.querySelector('.name').textContent = this.title;
    this.tab.querySelector('.dot').className = 'dot' + (live ? ' live' : ['connecting', 'reconnecting'].includes(view.state) ? ' wait' : '');
    const state = this.q('.state');
    state.textContent = t('state_' + view.state);
    state.className = 'state' + (live ? ' live' : '');
    state.dataset.state = view.state;
    const d = view.details || {};
    // UDP: show where the board must send to (this computer's LAN address), not the wildcard it is bound to.
    this.q('.where').textContent = this.kind === 'udp'
      ? (d.reachable ? `${t('boardSendsTo')} ${d.reachable}` : '')
      : this.kind === 'board'
        ? (d.running ? t('boardWhere', { ip: d.ip, firmware: d.firmware }) : '')
        : this.kind === 'serial' ? (d.settings ? `${d.port} · ${d.settings}` : '')
        : (d.listeningOn ? d.listeningOn + (d.board ? ` · ${t('boardMode')}` : '') + (this.kind === 'relay' ? ` → ${d.target}` : '') : '') || (d.remote ? `${d.local} → ${d.remote}` : '') || d.target || '';
    this.q('.error').textContent = view.error ? notice(view.error.code, view.error.args, view.error.text) : '';
    if (document.activeElement !== this.f('echo')) this.f('echo').checked = view.echo;
    if (document.activeElement !== this.f('encoding')) this.f('encoding').value = view.encoding;
    if (document.activeElement !== this.f('framing')) this.f('framing').value = view.framing || 'raw';
    if (document.activeElement !== this.f('verify')) {
      this.f('verify').value = view.verify?.checksum ?? 'none';
      this.f('verifyOrder').value = view.verify?.order ?? '';
      this.showOrder(this.f('verify'), this.f('verifyOrder'));
    }
    this.applySettings(view);
    this.transcript(view);
    for (const b of this.el.querySelectorAll('[data-a=start]')) b.disabled = view.state !== 'idle';
    for (const b of this.el.querySelectorAll('[data-a=stop]')) b.disabled = view.state === 'idle';
    this.counters(view);
    if (d.clients) this.clients(d.clients);
    this.q('.oled-missing').hidden = view.oledAvailable;
    this.q('canvas.oled').hidden = !view.oledAvailable;
    if (!this.rulesLoaded) { this.rulesLoaded = true; this.q('.rules').textContent = ''; for (const r of view.rules || []) this.addRule(r); }
    this.showRepeat(view.repeat ? view.repeat.sent : null);
    this.q('.list-note').textContent = view.listRun ? t('listRunning', view.listRun) : '';
  }

  showRepeat(sent) { this.q('.repeat-note').textContent = sent === null ? '' : t('repeating', { sent }); }

  /** The Record toggle and the transcript file: a plain link to the API, which the access cookie opens. */
  transcript(view) {
    if (document.activeElement !== this.f('record')) this.f('record').checked = view.recording;
    if (document.activeElement !== this.f('save')) this.f('save').checked = view.saving;
    const saved = this.q('[data-testid=saved]');
    saved.hidden = !view.saved;
    if (view.saved) {
      this.q('.saved-path').textContent = `${t(view.saving ? 'savingTo' : 'savedTo')} ${view.saved}`;
      const link = this.q('[data-testid=download-saved]');
      link.href = `/api/sessions/${this.id}/saved`;
      link.download = view.saved.split(/[\\/]/).pop();
    }
    const box = this.q('[data-testid=transcript]');
    box.hidden = !view.transcript;
    if (!view.transcript) return;
    const file = view.transcript.split(/[\\/]/).pop();
    this.q('.transcript-path').textContent = `${t(view.recording ? 'recordingTo' : 'recordedTo')} ${view.transcript}`;
    const link = this.q('[data-testid=download-transcript]');
    link.href = `/api/sessions/${this.id}/transcript`;
    link.download = file;
  }

  /** Counters: set from the server's figures, moved on by each logged line, drawn once per frame. */
  counters(c) {
    this.count = { rxBytes: c.rxBytes, txBytes: c.txBytes, rxCount: c.rxCount, txCount: c.txCount };
    this.drawCounters();
  }

  drawCounters() {
    if (this.countScheduled) return;
    this.countScheduled = true;
    requestAnimationFrame(() => {
      this.countScheduled = false;
      const box = this.q('.counters');
      if (!box.firstChild) {
        for (const cls of ['rx', 'tx']) { const s = document.createElement('span'); s.className = cls; s.dataset.testid = cls; box.append(s); }
      }
      const c = this.count;
      box.querySelector('.rx').textContent = `${t('rx')} ${c.rxBytes} ${t('bytes')} / ${c.rxCount} ${t('msgs')}`;
      box.querySelector('.tx').textContent = `${t('tx')} ${c.txBytes} ${t('bytes')} / ${c.txCount} ${t('msgs')}`;
      if (this.log.paused) this.showPaused();
    });
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
      const echoCell = document.createElement('td');
      const echo = document.createElement('button');
      echo.textContent = t(c.echo ? 'echoIsOn' : 'echoIsOff');
      echo.className = c.echo ? 'on' : '';
      echo.dataset.testid = 'client-echo';
      echo.title = t('echoToggle');
      echo.addEventListener('click', () => attempt(() => api('PUT', `/sessions/${this.id}/clients/${c.id}/echo`, { on: !c.echo })));
      echoCell.append(echo); tr.append(echoCell);
      const td = document.createElement('td');
      const kick = document.createElement('button');
      kick.textContent = t('kick');
      kick.dataset.testid = 'kick';
      kick.addEventListener('click', () => attempt(() => api('POST', `/sessions/${this.id}/kick/${c.id}`)));
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
    if (this.active) drawRates(this.q('canvas.rates'), this.rates);
  }

  /** Keeps the newest frame; draws it at most once per animation frame, and only while the tab is shown. */
  drawOled(glass) {
    if (glass) this.glass = glass;
    if (!this.active || this.oledScheduled) return;
    this.oledScheduled = true;
    requestAnimationFrame(() => { this.oledScheduled = false; drawGlass(this.q('canvas.oled'), this.glass); });
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
    if (await attempt(() => api('PUT', `/sessions/${this.id}/rules`, rules))) toast(t('rulesSaved'), true);
  }

  /** The snapshot after (re)connecting, or the log again after the server re-decoded it. */
  setLog(entries) { this.log.reset(entries); }

  async reloadLog() {
    const entries = await attempt(() => api('GET', `/sessions/${this.id}/log?limit=1000`));
    if (entries) this.log.reset(entries);
  }

  append(e) {
    this.log.push(e);
    // Counters move with the log at once; the once-a-second stats event corrects them.
    if (this.count && (e.dir === 'rx' || e.dir === 'tx')) {
      this.count[e.dir + 'Bytes'] += e.len;
      this.count[e.dir + 'Count'] += 1;
      this.drawCounters();
    }
  }

  cleared() { this.rates = []; this.log.reset([]); }

  /** Words everything again after a language switch. */
  relabel() {
    if (this.view) this.update(this.view);
    for (const o of this.f('address')?.options ?? []) if (o.value === '0.0.0.0') o.text = `0.0.0.0 (${t('allAddresses')})`;
    this.tab.querySelector('.name').title = t('rename');
    this.log.rebuild();
    if (this.active) drawRates(this.q('canvas.rates'), this.rates);
  }

  renderSentBefore() {
    const sel = this.f('history');
    while (sel.options.length > 1) sel.remove(1);
    sentBefore().forEach((h, i) => sel.add(new Option((h.hex ? '[HEX] ' : '') + h.data.slice(0, 60), String(i))));
  }

  remove() { this.el.remove(); this.tab.remove(); }
}
