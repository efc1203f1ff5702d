// A log that keeps up with the wire. Entries live in a bounded ring (100,000 lines; older ones are in
// History); the DOM holds only a window of rows around what is on screen, and new lines are drawn in
// one batch per animation frame, so a flood costs the page a bounded amount of work per frame.
import { entryRow, estimateLines, matches } from './format.js';
import { t } from './i18n.js';

export const RING_LINES = 100_000;
const EVICT_CHUNK = 5_000;   // the ring drops old lines in chunks: no O(n) shift per line
const WINDOW_MAX = 400;      // rows in the DOM at most
const STEP = 80;             // rows added when the reader scrolls near an edge of the window
const SCREENS = 3;           // following the tail, the window covers about this many screens

/** Entries at absolute positions [start, end); positions never change when old entries are dropped. */
class Ring {
  constructor(cap) { this.cap = cap; this.items = []; this.base = 0; }
  get start() { return this.base; }
  get end() { return this.base + this.items.length; }
  get(i) { return this.items[i - this.base]; }
  push(e) {
    this.items.push(e);
    if (this.items.length > this.cap + EVICT_CHUNK) { this.items.splice(0, EVICT_CHUNK); this.base += EVICT_CHUNK; }
  }
  /** Older entries in front; returns how many fitted under the cap. */
  prepend(list) {
    const room = Math.max(0, this.cap - this.items.length);
    const take = list.slice(Math.max(0, list.length - room));
    this.items = take.concat(this.items);
    this.base -= take.length;
    return take.length;
  }
}

export class LogView {
  /**
   * @param scroller the scrolling element (.log)
   * @param badge a button shown when new lines arrive while the reader is scrolled up
   * @param onOlder asks the server for lines older than a sequence number; resolves to entries, oldest first
   */
  constructor(scroller, badge, onOlder) {
    this.el = scroller;
    this.badge = badge;
    this.onOlder = onOlder;
    this.rows = document.createElement('div');
    this.rows.className = 'rows';
    this.el.append(this.rows);
    this.all = new Ring(RING_LINES);
    this.filtered = null;
    this.filter = '';
    this.hex = false;
    this.eol = true;
    this.lo = 0;
    this.hi = 0;
    this.following = true;
    this.paused = false;
    this.unseen = 0;
    this.visible = false;
    this.scheduled = false;
    this.olderDone = false;
    this.loadingOlder = false;
    this.el.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.badge.addEventListener('click', () => { this.following = true; this.paused = false; this.rebuild(); });
  }

  get source() { return this.filtered ?? this.all; }

  setVisible(on) {
    this.visible = on;
    if (on) this.rebuild();
  }

  push(e) {
    this.all.push(e);
    if (this.filtered && matches(e, this.filter)) this.filtered.push(e);
    if (!this.following || this.paused) this.unseen++;
    this.schedule();
  }

  reset(entries) {
    this.all = new Ring(RING_LINES);
    for (const e of entries) this.all.push(e);
    this.olderDone = false;
    this.unseen = 0;
    this.following = true;
    this.refilter();
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.following = true;
    this.refilter();
  }

  setMode(hex, eol) {
    this.hex = hex;
    this.eol = eol;
    this.rebuild();
  }

  setPaused(on) {
    this.paused = on;
    if (!on) { this.following = true; this.rebuild(); }
  }

  refilter() {
    if (!this.filter) this.filtered = null;
    else {
      this.filtered = new Ring(RING_LINES);
      for (const e of this.all.items) if (matches(e, this.filter)) this.filtered.push(e);
    }
    this.rebuild();
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      if (!this.visible) return;
      if (this.following && !this.paused) this.showTail();
      this.showBadge();
    });
  }

  /** Draws the window again (mode, filter, language or tab changed). */
  rebuild() {
    this.lo = this.hi = 0;
    this.rows.textContent = '';
    if (!this.visible) return;
    if (this.following && !this.paused) this.showTail();
    else this.renderRange(Math.max(this.source.start, this.source.end - STEP), this.source.end);
    this.showBadge();
  }

  row(i) { return entryRow(this.source.get(i), this.hex, this.eol, this.el.clientWidth < 600 ? 8 : 16); }

  fragment(from, to) {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) frag.append(this.row(i));
    return frag;
  }

  renderRange(lo, hi) {
    this.rows.textContent = '';
    this.rows.append(this.fragment(lo, hi));
    this.lo = lo;
    this.hi = hi;
  }

  /** Where the tail's window starts: enough rows for a few screens, never more than WINDOW_MAX. */
  tailStart(end) {
    const src = this.source;
    const lineHeight = 18;
    const budget = SCREENS * Math.max(10, this.el.clientHeight / lineHeight);
    const perLine = Math.max(24, Math.floor((this.el.clientWidth - (this.el.clientWidth > 640 ? 400 : 16)) / 7.6));
    let lines = 0, i = end;
    while (i > src.start && end - i < WINDOW_MAX && lines < budget) { i--; lines += estimateLines(src.get(i), this.hex, perLine); }
    return i;
  }

  showTail() {
    const src = this.source, end = src.end;
    const lo = this.tailStart(end);
    if (this.hi !== end || !this.rows.childElementCount) {
      if (this.rows.childElementCount === 0 || lo >= this.hi || this.lo < src.start) this.renderRange(lo, end);
      else {
        // Only ever trims at the top here: rows above the window were never drawn, so it must not claim them.
        const from = Math.max(lo, this.lo);
        this.rows.append(this.fragment(this.hi, end));
        for (let n = from - this.lo; n > 0; n--) this.rows.firstElementChild.remove();
        this.lo = from;
        this.hi = end;
      }
    }
    this.el.scrollTop = this.el.scrollHeight;
    this.unseen = 0;
  }

  onScroll() {
    if (!this.visible) return;
    const el = this.el;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (fromBottom < 8 && this.hi === this.source.end) { if (!this.following) { this.following = true; this.unseen = 0; } }
    else if (fromBottom >= 8) this.following = false;
    if (el.scrollTop < el.clientHeight) this.extendUp();
    else if (fromBottom < el.clientHeight && this.hi < this.source.end) this.extendDown();
    this.showBadge();
  }

  extendUp() {
    const src = this.source, el = this.el;
    if (this.lo > src.start) {
      const from = Math.max(src.start, this.lo - STEP);
      const before = el.scrollHeight;
      this.rows.prepend(this.fragment(from, this.lo));
      this.lo = from;
      el.scrollTop += el.scrollHeight - before;
      for (; this.hi - this.lo > WINDOW_MAX; this.hi--) this.rows.lastElementChild.remove();
      return;
    }
    if (this.filtered || this.olderDone || this.loadingOlder || !this.onOlder) return;
    const first = this.all.get(this.all.start);
    if (!first || first.seq <= 1) { this.olderDone = true; return; }
    this.loadingOlder = true;
    this.badge.hidden = false;
    this.badge.textContent = t('loadingOlder');
    this.onOlder(first.seq).then(list => {
      this.loadingOlder = false;
      const added = list?.length ? this.all.prepend(list) : 0;
      if (!list?.length || added < list.length) this.olderDone = true;
      if (added) this.extendUp();
      this.showBadge();
    }, () => { this.loadingOlder = false; this.olderDone = true; this.showBadge(); });
  }

  extendDown() {
    const el = this.el;
    const to = Math.min(this.source.end, this.hi + STEP);
    this.rows.append(this.fragment(this.hi, to));
    this.hi = to;
    const trim = this.hi - this.lo - WINDOW_MAX;
    if (trim > 0) {
      const before = el.scrollHeight;
      for (let n = trim; n > 0; n--) this.rows.firstElementChild.remove();
      this.lo += trim;
      el.scrollTop -= before - el.scrollHeight;
    }
  }

  showBadge() {
    const behind = !this.following || this.paused;
    this.badge.hidden = !behind && !this.loadingOlder;
    if (this.loadingOlder) return;
    this.badge.textContent = this.unseen > 0 ? t('newLines', { n: this.unseen }) : t('follow');
  }
}
