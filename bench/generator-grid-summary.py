# Medians of bench/generator-grid.sh lines: per cell, and the uring generator against Go's server in the same cell.
import re,sys,statistics as st
rows=[]
for f in sys.argv[1:]:
    for l in open(f):
        m=re.search(r'(\S+) load ([\d.]+) round (\d+) c=(\d+) server=(\w+) gen=(\w+): msg/s (\d+)\s+server µs/msg ([\d.]+)\s+generator \w+ [\d.]+ s CPU, ([\d.]+) µs/msg',l)
        if m: rows.append(dict(t=m[1],load=float(m[2]),c=int(m[4]),server=m[5],gen=m[6],mps=int(m[7]),srv=float(m[8]),genus=float(m[9])))
print(f"{len(rows)} cells, load {min(r['load'] for r in rows)}-{max(r['load'] for r in rows)}")
for c in (50,1000):
  for s in ('socketlab','go','floor'):
    for g in ('epoll','uring'):
      x=[r for r in rows if r['c']==c and r['server']==s and r['gen']==g]
      if x: print(f"c={c:5} {s:9} gen={g}: n={len(x)} msg/s med {st.median([r['mps'] for r in x]):8.0f}  server µs/msg med {st.median([r['srv'] for r in x]):5.2f} [{min(r['srv'] for r in x)}-{max(r['srv'] for r in x)}]  gen µs/msg med {st.median([r['genus'] for r in x]):5.2f} [{min(r['genus'] for r in x)}-{max(r['genus'] for r in x)}]")
# paired: uring generator vs Go server in the same cell (go server, gen=uring)
for c in (50,1000):
  x=[r for r in rows if r['c']==c and r['server']=='go' and r['gen']=='uring']
  print(f"c={c}: uring generator / Go server (same cell):", [round(r['genus']/r['srv'],2) for r in x], "median", round(st.median([r['genus']/r['srv'] for r in x]),2))
  ep=[r for r in rows if r['c']==c and r['gen']=='epoll']; ur=[r for r in rows if r['c']==c and r['gen']=='uring']
  print(f"c={c}: uring/epoll generator µs/msg (medians over all servers): {st.median([r['genus'] for r in ur])/st.median([r['genus'] for r in ep]):.2f}")
