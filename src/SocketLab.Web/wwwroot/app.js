// SocketLab's page: talks to the local server over one WebSocket (live events) and a small JSON API.
// The access token came in the printed link; the server traded it for an HttpOnly cookie.
import { t, setLang, getLang, applyTo } from './i18n.js';
import { api, attempt } from './api.js';
import { Panel } from './panel.js';
import { past } from './history.js';

const sessions = new Map();
const ctx = {
  info: { addresses: ['0.0.0.0', '127.0.0.1'], encodings: ['utf-8'], greeting: '' },
  activate,
  sentChanged: () => { for (const p of sessions.values()) p.sendBox.renderSentBefore(); },
  lists: [],
  panels: () => sessions.values(),
  async reloadLists() {
    ctx.lists = await attempt(() => api('GET', '/lists')) ?? ctx.lists;
    for (const p of sessions.values()) p.lists.render();
  },
};
let active = localStorage.getItem('socketlab.active');

function activate(id) {
  if (!sessions.has(id)) id = sessions.keys().next().value;
  active = id;
  if (id) localStorage.setItem('socketlab.active', id);
  for (const p of sessions.values()) p.setActive(p.id === id);
  document.getElementById('empty').hidden = sessions.size > 0;
}

function upsert(view) {
  let p = sessions.get(view.id);
  if (!p) { p = new Panel(view, ctx); sessions.set(view.id, p); }
  p.update(view);
  return p;
}

function removeSession(id) {
  sessions.get(id)?.remove();
  sessions.delete(id);
  activate(active === id ? sessions.keys().next().value : active);
}

function handle(e) {
  const p = sessions.get(e.session);
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
    case 'session': { const isNew = !sessions.has(e.session); upsert(e.view); if (isNew) activate(e.session); break; }
    case 'removed': removeSession(e.session); break;
    case 'log': p?.append(e.entry); break;
    case 'relog': p?.reloadLog(); break;
    case 'cleared': p?.cleared(); break;
    case 'stats': p?.stats(e); break;
    case 'oled': p?.drawOled(e.glass); break;
    case 'repeat': p?.sendBox.showRepeat(e.active ? e.sent : null); break;
    case 'file': p?.sendBox.fileProgress(e); break;
    default: break;
  }
}

function connect() {
  const link = document.getElementById('link');
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
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
    for (const p of sessions.values()) p.relabel();
    past.relabel();
  });
  applyTo(document);
  for (const b of document.querySelectorAll('header [data-kind]')) {
    b.addEventListener('click', async () => {
      const v = await attempt(() => api('POST', '/sessions', { kind: b.dataset.kind }));
      if (v) { if (past.visible) past.show(false); upsert(v); activate(v.id); }
    });
  }
  past.init();
  document.getElementById('history-open').addEventListener('click', () => past.show(!past.visible));
  const info = await attempt(() => api('GET', '/info'));
  if (info) ctx.info = info;
  document.getElementById('history-open').hidden = !ctx.info.history;
  await ctx.reloadLists();
  // 1–9 send the chosen list's commands, as NetAssist's 多条字符串 keys do (not while typing).
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.altKey || e.metaKey || !/^[1-9]$/.test(e.key) || e.target.closest('input, textarea, select, [contenteditable]')) return;
    const p = sessions.get(active);
    if (p && !p.el.classList.contains('board')) { e.preventDefault(); p.lists.sendCommand(Number(e.key) - 1); }
  });
  connect();
  // For tests and the page benchmark: the open sessions' logs.
  window.socketlab = { sessions };
}

main();
