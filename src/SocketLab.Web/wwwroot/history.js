// The History view: past sessions from the SQLite store — searchable, paged, exportable and deletable.
import { t } from './i18n.js';
import { api, attempt, download, toast } from './api.js';
import { entryRow } from './format.js';
import { human } from './chart.js';

const PAGE = 1000;
const $ = id => document.getElementById(id);

export const past = {
  selected: null,
  page: null, // { first, last, total, from } of the events shown

  init() {
    $('history-back').addEventListener('click', () => this.show(false));
    $('history-search').addEventListener('click', () => this.search());
    $('history-q').addEventListener('keydown', e => { if (e.key === 'Enter') this.search(); });
    $('history-view').addEventListener('change', () => this.selected && this.open(this.selected, this.page?.query));
    $('history-older').addEventListener('click', () => this.open(this.selected, { before: this.page.first, from: this.page.from - PAGE }));
    $('history-newer').addEventListener('click', () => this.open(this.selected, { after: this.page.last, from: this.page.from + this.page.count }));
    $('history-delete').addEventListener('click', () => this.remove());
    for (const fmt of ['text', 'jsonl']) {
      $('history-export-' + fmt).addEventListener('click', () => {
        if (!this.selected) return;
        const q = $('history-q').value.trim();
        download(`/history/sessions/${this.selected}/export?format=${fmt}` + (q ? '&q=' + encodeURIComponent(q) : ''),
          `socketlab-history-${this.selected}.${fmt === 'jsonl' ? 'jsonl' : 'txt'}`);
      });
    }
  },

  get visible() { return !$('history').hidden; },

  async show(on) {
    $('history').hidden = !on;
    $('panels').hidden = on;
    $('tabs').hidden = on;
    if (on) await Promise.all([this.search(), this.showDropped()]);
  },

  /** Says how many events the history could not keep (it fell behind, or the disk filled up). */
  async showDropped() {
    const info = await attempt(() => api('GET', '/info'));
    const el = $('history-dropped');
    el.hidden = !(info?.historyDropped > 0);
    if (!el.hidden) el.textContent = t('historyDropped', { n: info.historyDropped });
  },

  async search() {
    const q = $('history-q').value.trim();
    const list = await attempt(() => api('GET', '/history/sessions' + (q ? '?q=' + encodeURIComponent(q) : ''))) ?? [];
    const body = document.querySelector('#history-sessions tbody');
    body.textContent = '';
    for (const s of list) {
      const tr = document.createElement('tr');
      tr.dataset.history = s.id;
      // An unnamed session shows its kind in the page's language.
      const name = s.named ? s.title : t(s.kind);
      for (const v of [s.id, t(s.kind), name, new Date(s.startedAt).toLocaleString(), s.events, human(s.bytes)]) {
        const td = document.createElement('td'); td.textContent = v; tr.append(td);
      }
      tr.addEventListener('click', () => this.open(s.id));
      body.append(tr);
    }
    $('history-none').hidden = list.length > 0;
    this.sessions = list;
    if (list.length && !list.some(s => s.id === this.selected)) await this.open(list[0].id);
    if (!list.length) { this.selected = null; $('history-log').textContent = ''; this.showPage(); }
  },

  /** Shows one page of a past session's events: the first, or the one before/after the page shown. */
  async open(id, query = {}) {
    this.selected = id;
    for (const tr of document.querySelectorAll('#history-sessions tr[data-history]')) tr.classList.toggle('selected', Number(tr.dataset.history) === id);
    const q = $('history-q').value.trim();
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q) params.set('q', q);
    if (query.before) params.set('before', query.before);
    if (query.after) params.set('after', query.after);
    const answer = await attempt(() => api('GET', `/history/sessions/${id}/events?${params}`));
    if (!answer) return;
    const log = $('history-log');
    log.textContent = '';
    const hex = $('history-view').value === 'hex';
    const frag = document.createDocumentFragment();
    for (const e of answer.events) frag.append(entryRow(e.entry, hex, true, log.clientWidth < 600 ? 8 : 16));
    log.append(frag);
    log.scrollTop = 0;
    const events = answer.events;
    this.page = {
      query, total: answer.total, count: events.length, from: Math.max(0, query.from ?? 0),
      first: events.length ? events[0].id : null, last: events.length ? events[events.length - 1].id : null,
    };
    this.showPage();
  },

  showPage() {
    const p = this.page;
    const none = !this.selected || !p;
    $('history-page').textContent = none || !p.count ? '' : t('pageOf', { from: p.from + 1, to: p.from + p.count, total: p.total });
    $('history-older').disabled = none || p.from <= 0 || !p.count;
    $('history-newer').disabled = none || p.from + p.count >= p.total;
    for (const b of ['history-delete', 'history-export-text', 'history-export-jsonl']) $(b).disabled = none;
  },

  async remove() {
    const s = this.sessions?.find(x => x.id === this.selected);
    if (!s || !confirm(t('confirmDelete', { id: s.id, n: s.events }))) return;
    if (await attempt(() => api('DELETE', `/history/sessions/${s.id}`)) === null) {
      toast(t('deleted'), true);
      this.selected = null;
      await this.search();
    }
  },

  relabel() { if (this.visible) this.search(); },
};
