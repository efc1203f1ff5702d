// A small RX/TX rate chart drawn on a canvas: one sample per second, newest on the right.
export function drawRates(canvas, samples) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 4, top = 14;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#0f1720';
  ctx.fillRect(0, 0, w, h);
  const max = Math.max(1, ...samples.map(s => Math.max(s.rx, s.tx)));
  ctx.strokeStyle = '#233040';
  ctx.lineWidth = 1;
  for (let i = 1; i < 4; i++) {
    const y = top + (h - top - pad) * i / 4;
    ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke();
  }
  const slots = 60, step = (w - 2 * pad) / (slots - 1);
  const line = (key, color) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    samples.forEach((s, i) => {
      const x = pad + (slots - samples.length + i) * step;
      const y = h - pad - (h - top - pad) * s[key] / max;
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  };
  line('rx', '#4ade80');
  line('tx', '#60a5fa');
  const last = samples.length ? samples[samples.length - 1] : { rx: 0, tx: 0 };
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#4ade80'; ctx.fillText('RX ' + human(last.rx) + '/s', pad, 11);
  ctx.fillStyle = '#60a5fa'; ctx.fillText('TX ' + human(last.tx) + '/s', pad + 100, 11);
  ctx.fillStyle = '#8aa0b4'; ctx.textAlign = 'right'; ctx.fillText('max ' + human(max) + '/s', w - pad, 11);
  ctx.textAlign = 'left';
}

export function human(n) {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  return (n / 1024 / 1024).toFixed(1) + ' MiB';
}
