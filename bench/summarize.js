// Turns bench/compare.sh's results.jsonl into markdown tables: medians over runs, ratios SocketLab/peer.
// Usage: node bench/summarize.js results.jsonl
'use strict';
const fs = require('fs');

const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const peers = ['go', 'node', 'socat'];
const names = { socketlab: 'SocketLab', go: 'Go', node: 'Node', socat: 'socat' };

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
const fmt = (x, d = 0) => (x === undefined ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? '–' : `**${(a / b).toFixed(2)}**`);

function stats(server, cell) {
  const runs = rows.filter((r) => r.server === server && r.cell === cell);
  if (runs.length === 0) return undefined;
  const good = runs.filter((r) => r.ok);
  return {
    n: runs.length,
    failed: runs.length - good.length,
    rate: median(good.map((r) => r.messages_per_s)),
    mib: median(good.map((r) => r.mib_per_s)),
    p99: median(good.map((r) => r.p99_us)),
    cpu: median(good.map((r) => (r.bench_wall_s ? r.server_cpu_s / r.bench_wall_s : undefined))),
    // Server CPU per message, assuming warm-up ran at the measured rate (the CPU time covers both).
    usPerMsg: median(good.map((r) => (r.messages_per_s ? (r.server_cpu_s * 1e6) / (r.messages_per_s * (r.elapsed_s + (r.warmup_s ?? 0))) : undefined))),
    error: runs.find((r) => !r.ok)?.first_error,
    raw: runs,
  };
}

const cells = [...new Set(rows.filter((r) => r.mode).map((r) => r.cell))];
const out = [];
out.push('| mode | conns × size | SocketLab msg/s | Go msg/s | Node msg/s | socat msg/s | SL/Go | SL/Node | SL/socat | p99 µs SL | p99 µs Go | p99 µs Node | SL MiB/s |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const cell of cells) {
  const [mode, shape] = cell.split(' ');
  const s = Object.fromEntries(['socketlab', ...peers].map((n) => [n, stats(n, cell)]));
  const rate = (x) => (x === undefined ? 'not run' : x.rate === undefined ? `failed (${x.failed}/${x.n})` : fmt(x.rate) + (x.failed ? ` (${x.failed} failed)` : ''));
  out.push(`| ${mode} | ${shape.replace('x', ' × ')} B | ${rate(s.socketlab)} | ${rate(s.go)} | ${rate(s.node)} | ${rate(s.socat)} | ` +
    `${ratio(s.socketlab?.rate, s.go?.rate)} | ${ratio(s.socketlab?.rate, s.node?.rate)} | ${ratio(s.socketlab?.rate, s.socat?.rate)} | ` +
    `${fmt(s.socketlab?.p99)} | ${fmt(s.go?.p99)} | ${fmt(s.node?.p99)} | ${fmt(s.socketlab?.mib, 1)} |`);
}

out.push('');
out.push('Server CPU share over the whole bench call, warm-up and connects included (1.00 = its pinned core was busy all the time; lower means the load generator, the kernel or the wake-ups were the limit). Generator CPU is its share of the measured time:');
out.push('');
out.push('| mode | conns × size | SocketLab | Go | Node | socat | generator CPU: SocketLab cell | Go cell | server µs CPU/msg: SocketLab | Go | Node |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const cell of cells) {
  const [mode, shape] = cell.split(' ');
  const s = Object.fromEntries(['socketlab', ...peers].map((n) => [n, stats(n, cell)]));
  const gen = (x) => median((x?.raw ?? []).map((r) => (r.elapsed_s ? r.generator_cpu_s / r.elapsed_s : undefined)));
  out.push(`| ${mode} | ${shape.replace('x', ' × ')} B | ${fmt(s.socketlab?.cpu, 2)} | ${fmt(s.go?.cpu, 2)} | ${fmt(s.node?.cpu, 2)} | ${fmt(s.socat?.cpu, 2)} | ${fmt(gen(s.socketlab), 2)} | ${fmt(gen(s.go), 2)} | ` +
    `${fmt(s.socketlab?.usPerMsg, 2)} | ${fmt(s.go?.usPerMsg, 2)} | ${fmt(s.node?.usPerMsg, 2)} |`);
}

const idle = rows.filter((r) => r.cell === 'idle');
if (idle.length) {
  out.push('');
  out.push('| idle connections | server | still echoing | RSS before | RSS with all open | RSS per connection | peak counting the close | per connection counting the close |');
  out.push('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const n of ['socketlab', 'go', 'node']) {
    const r = idle.filter((x) => x.server === n);
    if (!r.length) continue;
    const per = median(r.map((x) => x.bytes_per_connection));
    const withClose = median(r.map((x) => x.bytes_per_connection_with_close ?? x.bytes_per_connection));
    out.push(`| ${fmt(r[0].idle)} | ${names[n]} | ${fmt(median(r.map((x) => x.idle_echoed)))} | ${fmt(median(r.map((x) => x.rss_base_kib)) / 1024, 1)} MiB | ` +
      `${fmt(median(r.map((x) => x.rss_open_kib ?? x.rss_peak_kib)) / 1024, 1)} MiB | ${fmt(per / 1024, 2)} KiB | ` +
      `${fmt(median(r.map((x) => x.rss_peak_kib)) / 1024, 1)} MiB | ${fmt(withClose / 1024, 2)} KiB |`);
  }
}

const iperf = rows.filter((r) => r.server === 'iperf3');
if (iperf.length) {
  out.push('');
  out.push('| iperf3 loopback ceiling (server CPU 0, client CPU 1) | MiB/s (median) |');
  out.push('|---|---:|');
  for (const label of [...new Set(iperf.map((r) => r.cell))])
    out.push(`| ${label} | ${fmt(median(iperf.filter((r) => r.cell === label).map((r) => r.mib_per_s)))} |`);
}
console.log(out.join('\n'));
