// A tab's command lists: the picker (lists are shared by every tab), a button per command (keys 1-9), the JSON editor, Run list.
import { t } from './i18n.js';
import { api, attempt, toast } from './api.js';

export class CommandLists {
  /** @param panel the tab: its id, fields (f, q), ctx and send box (for the target) */
  constructor(panel) {
    this.panel = panel;
    const f = panel.f;
    f('list').addEventListener('change', () => this.render());
    f('listFile').addEventListener('change', async () => {
      const file = f('listFile').files[0];
      f('listFile').value = '';
      if (file) await this.save(await file.text());
    });
  }

  selected() { return (this.panel.ctx.lists ?? []).find(l => l.name === this.panel.f('list').value); }

  /** The lists in the picker, and the chosen one's commands as buttons. */
  render() {
    const sel = this.panel.f('list');
    const keep = sel.value;
    sel.textContent = '';
    const lists = this.panel.ctx.lists ?? [];
    if (!lists.length) sel.add(new Option(t('listNone'), ''));
    for (const l of lists) sel.add(new Option(l.name, l.name));
    if (lists.some(l => l.name === keep)) sel.value = keep;
    const box = this.panel.q('.commands');
    box.textContent = '';
    (this.selected()?.commands ?? []).forEach((c, i) => {
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
    const c = this.selected()?.commands?.[index];
    if (!c) return;
    const body = {
      data: c.data ?? '', hex: !!c.hex, escapes: !!c.escapes, macros: !!c.macros, eol: c.eol ?? 'none',
      checksum: c.checksum ?? 'none', checksumOrder: c.checksumOrder ?? null, ...this.panel.sendBox.target(),
    };
    await attempt(() => api('POST', `/sessions/${this.panel.id}/send`, body));
  }

  edit(list) {
    this.panel.q('.list-editor').hidden = false;
    this.panel.f('listJson').value = JSON.stringify(list, null, 2);
    this.panel.f('listJson').focus();
  }

  async save(json) {
    let body;
    try { body = JSON.parse(json); } catch (err) { toast(t('c.badList', { detail: err.message })); return; }
    const saved = await attempt(() => api('PUT', '/lists', body));
    if (!saved) return;
    this.panel.q('.list-editor').hidden = true;
    toast(t('listSaved'), true);
    await this.panel.ctx.reloadLists();
    this.panel.f('list').value = saved.name;
    for (const p of this.panel.ctx.panels()) p.lists.render();
  }

  /** The list buttons (data-a="list-…"); false for an action that is not theirs. */
  async action(a) {
    const { id, f, q, ctx } = this.panel;
    const list = this.selected();
    switch (a) {
      case 'list-new': this.edit({ name: t('listNew') + ' ' + ((ctx.lists?.length ?? 0) + 1), repeat: 1, commands: [{ name: 'hello', data: 'hello mPython', eol: 'crlf' }] }); return true;
      case 'list-edit': if (list) this.edit(list); return true;
      case 'list-cancel': q('.list-editor').hidden = true; return true;
      case 'list-save': await this.save(f('listJson').value); return true;
      case 'list-export': {
        if (!list) return true;
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([JSON.stringify(list, null, 2)], { type: 'application/json' }));
        link.download = `${list.name}.json`;
        document.body.append(link); link.click(); link.remove();
        return true;
      }
      case 'list-delete':
        if (list && confirm(t('confirmDeleteList', { name: list.name })) && await attempt(() => api('DELETE', `/lists/${encodeURIComponent(list.name)}`)) === null)
          await ctx.reloadLists();
        return true;
      case 'list-run':
        if (list) await attempt(() => api('POST', `/sessions/${id}/run-list`, { name: list.name, repeat: Number(f('listRepeat').value || 1), ...this.panel.sendBox.target() }));
        return true;
      case 'list-stop': await attempt(() => api('POST', `/sessions/${id}/run-list/stop`)); return true;
      default: return false;
    }
  }
}
