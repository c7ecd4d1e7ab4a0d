/**
 * A worker thread holding N live sockets, as wall screens would: each counts the incidents it is
 * sent and checks the seqs it sees only ever increase. Its own event loop keeps the decoding of
 * every event off the test's main thread.
 * workerData: {url, token, count}; posts 'ready' once every socket replayed; message 'stats' posts
 * back {sockets: [{created, lastSeq, outOfOrder, disconnects}]}; 'stop' closes the sockets first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

const { url, token, count } = workerData;
const sockets = [];
const stats = [];

for (let i = 0; i < count; i++) {
  const s = { created: 0, lastSeq: 0, outOfOrder: 0, disconnects: 0 };
  stats.push(s);
  const socket = io(url, { auth: { token, batch: true }, transports: ['websocket'], forceNew: true, reconnection: false });
  socket.on('events:batch', (events) => {
    for (const e of events) {
      if (e.seq <= s.lastSeq) s.outOfOrder++;
      s.lastSeq = e.seq;
      if (e.type === 'incident:created') s.created++;
    }
  });
  socket.on('disconnect', () => s.disconnects++);
  sockets.push(new Promise((resolve, reject) => {
    socket.once('replay:done', () => resolve(socket));
    socket.once('connect_error', reject);
  }));
}
const open = await Promise.all(sockets);
parentPort.postMessage('ready');
parentPort.on('message', (message) => {
  if (message === 'stop') for (const socket of open) socket.disconnect();
  parentPort.postMessage({ sockets: stats });
});
