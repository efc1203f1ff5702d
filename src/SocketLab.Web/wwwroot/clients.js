// A TCP server tab's clients: the table (echo switch and Kick per client) and the send box's target picker.
import { t } from './i18n.js';
import { api, attempt } from './api.js';
import { human } from './chart.js';

export function renderClients(panel, list) {
  const body = panel.q('.clients tbody');
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
    echo.addEventListener('click', () => attempt(() => api('PUT', `/sessions/${panel.id}/clients/${c.id}/echo`, { on: !c.echo })));
    echoCell.append(echo); tr.append(echoCell);
    const td = document.createElement('td');
    const kick = document.createElement('button');
    kick.textContent = t('kick');
    kick.dataset.testid = 'kick';
    kick.addEventListener('click', () => attempt(() => api('POST', `/sessions/${panel.id}/kick/${c.id}`)));
    td.append(kick); tr.append(td); body.append(tr);
  }
  panel.q('.no-clients').hidden = list.length > 0;
  const target = panel.f('target');
  const keep = target.value;
  target.textContent = '';
  target.add(new Option(t('allClients'), 'all'));
  for (const c of list) target.add(new Option(`#${c.id} ${c.address}`, String(c.id)));
  target.value = [...target.options].some(o => o.value === keep) ? keep : 'all';
}
