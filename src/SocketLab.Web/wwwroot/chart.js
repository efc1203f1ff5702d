// The RX/TX rate chart: one sample per second for the last 60 s, newest on the right, with a labelled
// bytes-per-second axis and a time axis.
import { t } from './i18n.js';

export function drawRates(canvas, samples) {
  // Draw at the element's real size so text stays sharp at any width.
  const ratio = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || canvas.width, cssH = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(cssW * ratio)) { canvas.width = Math.round(cssW * ratio); canvas.height = Math.round(cssH * ratio); }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const w = cssW, h = cssH, left = 58, right = 6, top = 16, bottom = 16;
  ctx.fillStyle = '#0f1720';
  ctx.fillRect(0, 0, w, h);
  const peak = Math.max(1, ...samples.map(s => Math.max(s.rx, s.tx)));
  const max = Math.max(4, 4 * niceCeiling(peak / 4));
  const plotW = w - left - right, plotH = h - top - bottom;
  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH * (1 - i / 4);
    ctx.strokeStyle = i === 0 ? '#3a4a5c' : '#233040';
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w - right, y); ctx.stroke();
    ctx.fillStyle = '#8aa0b4';
    ctx.textAlign = 'right';
    ctx.fillText(human(max * i / 4), left - 4, y);
  }
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'center';
  for (const ago of [60, 45, 30, 15, 0]) {
    const x = left + plotW * (1 - ago / 60);
    ctx.fillText(ago === 0 ? t('now') : t('secondsAgo', { n: ago }), Math.min(Math.max(x, left + 14), w - right - 14), h - 3);
  }
  const step = plotW / 59;
  const line = (key, color) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    samples.forEach((s, i) => {
      const x = left + (60 - samples.length + i) * step;
      const y = top + plotH * (1 - s[key] / max);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  };
  line('rx', '#4ade80');
  line('tx', '#60a5fa');
  const last = samples.length ? samples[samples.length - 1] : { rx: 0, tx: 0 };
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillStyle = '#4ade80'; ctx.fillText(`${t('rx')} ${human(last.rx)}/s`, left, 11);
  ctx.fillStyle = '#60a5fa'; ctx.fillText(`${t('tx')} ${human(last.tx)}/s`, left + 100, 11);
  ctx.fillStyle = '#8aa0b4'; ctx.textAlign = 'right'; ctx.fillText(t('perSecond'), w - right, 11);
  ctx.textAlign = 'left';
}

/** The smallest 1, 2, 2.5 or 5 times a power of ten at or above n, so the axis steps are round. */
function niceCeiling(n) {
  const p = 10 ** Math.floor(Math.log10(Math.max(n, 0.25)));
  for (const m of [1, 2, 2.5, 5, 10]) if (n <= m * p) return m * p;
  return 10 * p;
}

export function human(n) {
  if (n < 1024) return Math.round(n) + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10 * 1024 ? 1 : 0) + ' KiB';
  return (n / 1024 / 1024).toFixed(1) + ' MiB';
}
