// A plain Node.js net echo server for the comparison in docs/benchmarks.md: socket.pipe(socket).
// Usage: node node-echo.js [port] [host]
'use strict';
const net = require('net');

const port = Number(process.argv[2] || 7003);
const host = process.argv[3] || '127.0.0.1';
const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.listen({ port, host, backlog: 4096 }, () => console.error(`listening on ${host}:${port}`));
