// One session's tab: its settings, state, log, counters, OLED and rates; the send box, command lists,
// auto-reply rules and clients table are their own modules.
import { t, notice, applyTo } from './i18n.js';
import { api, attempt, download, toast } from './api.js';
import { drawGlass } from './oled.js';
import { drawRates } from './chart.js';
import { LogView } from './logview.js';
import { SendBox } from './sendbox.js';
import { CommandLists } from './lists.js';
import { AutoReplyRules } from './rules.js';
import { renderClients } from './clients.js';

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
    this.appliedSettings = null;
    this.count = null;
    this.countScheduled = false;
    this.el = document.getElementById('panel-tpl').content.firstElementChild.cloneNode(true);
    this.el.classList.add(view.kind);
    this.el.dataset.session = view.id;
    for (const k of this.el.querySelectorAll('.kind')) if (!k.classList.contains(view.kind)) k.remove();
    this.f = name => this.el.querySelector(`[data-f="${name}"]`);
    this.q = sel => this.el.querySelector(sel);
    this.log = new LogView(this.q('.log'), this.q('.follow'), seq => api('GET', `/sessions/${this.id}/log?before=${seq}&limit=1000`));
    this.fillChoices();
    this.sendBox = new SendBox(this);
    this.lists = new CommandLists(this);
    this.rules = new AutoReplyRules(this);
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
    this.sendBox.renderSentBefore();
    this.lists.render();
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
    if (a.startsWith('list-')) return this.lists.action(a);
    switch (a) {
      case 'start': return attempt(() => api('POST', `/sessions/${id}/start`, this.startRequest()));
      case 'stop': return attempt(() => api('POST', `/sessions/${id}/stop`));
      case 'preset': this.f('greeting').value = this.ctx.info.greeting; return undefined;
      case 'send': return this.sendBox.send();
      case 'stop-repeat': return attempt(() => api('POST', `/sessions/${id}/repeat/stop`));
      case 'pause': return this.togglePause();
      case 'clear': return attempt(() => api('POST', `/sessions/${id}/clear`));
      case 'export-text': return download(`/sessions/${id}/export?format=text`, `socketlab-${id}.txt`);
      case 'export-jsonl': return download(`/sessions/${id}/export?format=jsonl`, `socketlab-${id}.jsonl`);
      case 'refresh-ports': return this.refreshPorts(true);
      case 'add-rule': return this.rules.add({ match: 'contains', pattern: '', reply: '', replyIsHex: false, enabled: true });
      case 'save-rules': return this.rules.save();
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
    if (d.clients) renderClients(this, d.clients);
    this.q('.oled-missing').hidden = view.oledAvailable;
    this.q('canvas.oled').hidden = !view.oledAvailable;
    this.rules.load(view.rules);
    this.sendBox.showRepeat(view.repeat ? view.repeat.sent : null);
    this.q('.list-note').textContent = view.listRun ? t('listRunning', view.listRun) : '';
  }

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

  stats(e) {
    this.counters(e);
    if (e.details?.clients) renderClients(this, e.details.clients);
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

  remove() { this.el.remove(); this.tab.remove(); }
}
