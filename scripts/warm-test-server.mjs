// Keeps wasm-bindgen-test-runner's HTTP server (tiny_http) stocked with idle threads: see
// scripts/wasm-test-runner.sh. Every 500 ms: open WARM connections one after another, each
// answered before the next opens (so no burst), then close them all; their threads stay
// idle for 5 s. Exits with its parent.
import net from 'node:net';

const port = Number(process.argv[2]);
const WARM = 10;

function open() {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = () => resolve(socket);
    socket.setTimeout(1000, () => { socket.destroy(); done(); });
    socket.once('error', () => { socket.destroy(); done(); });
    socket.once('connect', () => socket.write(`GET /__warm HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`));
    socket.once('data', done);
  });
}

async function round() {
  const sockets = [];
  for (let i = 0; i < WARM; i += 1) sockets.push(await open());
  for (const s of sockets) s.destroy();
}

const ppid = process.ppid;
for (;;) {
  try { process.kill(ppid, 0); } catch { process.exit(0); }
  await round();
  await new Promise((r) => setTimeout(r, 500));
}
