// A tab's auto-reply rules: when received data equals, contains, matches a regex or holds HEX bytes, send a reply.
import { t } from './i18n.js';
import { api, attempt, toast } from './api.js';

export class AutoReplyRules {
  constructor(panel) {
    this.panel = panel;
    this.loaded = false;
  }

  /** The rules the server has, once (later edits on the page stay until saved). */
  load(rules) {
    if (this.loaded) return;
    this.loaded = true;
    this.panel.q('.rules').textContent = '';
    for (const r of rules || []) this.add(r);
  }

  add(r) {
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
    this.panel.q('.rules').append(row);
  }

  async save() {
    const rules = [...this.panel.el.querySelectorAll('.rule')].map(row => ({
      enabled: row.querySelector('[data-r=enabled]').checked,
      match: row.querySelector('[data-r=match]').value,
      pattern: row.querySelector('[data-r=pattern]').value,
      reply: row.querySelector('[data-r=reply]').value,
      replyIsHex: row.querySelector('[data-r=replyIsHex]').checked,
    }));
    if (await attempt(() => api('PUT', `/sessions/${this.panel.id}/rules`, rules))) toast(t('rulesSaved'), true);
  }
}
