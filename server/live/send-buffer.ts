/**
 * The per-socket send-buffer ceiling: counts what is queued for one socket and not yet written to
 * its network connection, and says when that passes the ceiling (a slow consumer), so the hub can
 * drop the backlog (the durable log has it) instead of holding it in memory until the socket closes.
 *
 * Two places hold unsent bytes. engine.io's `writeBuffer` (packets waiting while the transport is
 * busy) is counted incrementally: each packet as it is created, and back to zero when engine.io
 * hands the whole array to the transport (it replaces the array on flush). What the transport was
 * handed but the network has not taken yet is the WebSocket's `bufferedAmount` (O(1) in ws).
 * Room broadcasts share one encoded string between sockets, so counting it per socket is
 * conservative: the real memory held is at most what this reports.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/events.ts';

/** An engine.io packet as `packetCreate` hands it (engine.io keeps the type internal). */
interface EnginePacket {
  type: string;
  data?: unknown;
}

/** What this module reads or changes of engine.io's socket (`socket.conn`); engine.io types these members private. */
interface EngineConnection {
  readonly readyState: string;
  writeBuffer: EnginePacket[];
  packetsFn: unknown[];
  readonly transport: { readonly name: string; readonly socket?: unknown };
  on(event: 'packetCreate', listener: (packet: EnginePacket) => void): unknown;
  on(event: 'flush' | 'close', listener: () => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  close(discard?: boolean): unknown;
}

/** The parts of a `ws` WebSocket used here (public ws API). */
interface RawWebSocket {
  readonly bufferedAmount: number;
  terminate(): void;
}
const isRawWebSocket = (value: unknown): value is RawWebSocket =>
  typeof value === 'object' && value !== null && typeof (value as RawWebSocket).terminate === 'function' && typeof (value as RawWebSocket).bufferedAmount === 'number';

/** The seq the packets being created right now carry (set around each send, see {@link carrying}). */
let carriedSeq = 0;
/**
 * Runs `send` with every packet it creates marked as carrying events up to `seq`, so a dropped
 * socket can be told the last seq that reached its network connection.
 */
export function carrying<T>(seq: number, send: () => T): T {
  const outer = carriedSeq;
  carriedSeq = seq;
  try {
    return send();
  } finally {
    carriedSeq = outer;
  }
}

/** A room broadcast hands the same string to every socket: measure it once, not once per socket. */
let lastMeasured: { data: string; bytes: number } | undefined;
function bytesOf(packet: EnginePacket): number {
  const data = packet.data;
  if (typeof data === 'string') {
    if (lastMeasured?.data !== data) lastMeasured = { data, bytes: Buffer.byteLength(data, 'utf8') };
    return lastMeasured.bytes;
  }
  if (data instanceof Uint8Array) return data.byteLength;
  if (data instanceof ArrayBuffer) return data.byteLength;
  return 1; // ping, pong, close: the type byte
}

export interface SendBufferWatch {
  /** Bytes queued for this socket and not yet taken by the network. */
  queuedBytes(): number;
  /** Bytes ever queued for this socket (a replay sizes its pages by it). */
  totalBytes(): number;
  /** Highest seq whose message was handed to the network connection (what the client gets if it reads on). */
  handedSeq(): number;
  /** The client starts from this seq (its `since`, or the head at `hello`). */
  startAt(seq: number): void;
  /** Drops every packet not yet handed to the transport; returns how many bytes that freed. */
  discardBacklog(): number;
  /**
   * Ends the connection without waiting for the client to read: the transport is closed and the
   * network socket destroyed, whatever it still holds.
   */
  forceClose(): void;
  /** Stops watching (the socket closed). */
  stop(): void;
}

/** Every connection watched in this process, by socket id, for {@link sendBufferStats}. */
const watches = new Map<string, SendBufferWatch>();
/** Ids of the sockets dropped most recently (diagnostics; bounded). */
const recentlyDropped: string[] = [];
const RECENTLY_DROPPED_KEPT = 100;
let droppedTotal = 0;
let peakQueuedBytes = 0;

export interface SendBufferStats {
  /** Open connections right now (a dropped one counts until its connection is freed). */
  sockets: number;
  /** Bytes queued for all of them and not yet written, right now. */
  queuedBytes: number;
  /** The same, by socket id. */
  queuedBySocket: Record<string, number>;
  /** The most one socket had queued when it was measured (at every packet), since the process started. */
  peakQueuedBytes: number;
  /** Sockets dropped as slow consumers since the process started. */
  dropped: number;
  /** Ids of the last sockets dropped (at most 100). */
  droppedIds: string[];
}

/** What the live stream holds in unsent buffers, summed over the process (tests and diagnostics). */
export function sendBufferStats(): SendBufferStats {
  let queuedBytes = 0;
  const queuedBySocket: Record<string, number> = {};
  for (const [id, watch] of watches) {
    const bytes = watch.queuedBytes();
    queuedBySocket[id] = bytes;
    queuedBytes += bytes;
  }
  return { sockets: watches.size, queuedBytes, queuedBySocket, peakQueuedBytes, dropped: droppedTotal, droppedIds: [...recentlyDropped] };
}


/**
 * Watches `socket`'s unsent bytes; `onOverflow` is called once, after the current synchronous
 * send (a broadcast to a room) has finished, when they pass `limitBytes`.
 */
export function watchSendBuffer(socket: Socket, limitBytes: number, onOverflow: (queuedBytes: number) => void): SendBufferWatch {
  const conn = socket.conn as unknown as EngineConnection;
  let writeBufferBytes = 0;
  let totalBytes = 0;
  /** Highest seq among the packets now in `writeBuffer`, and among those already handed on. */
  let writeBufferSeq = 0;
  let handed = 0;
  let overflowed = false;

  const transportBytes = (): number => {
    const raw = conn.transport.socket;
    return isRawWebSocket(raw) ? raw.bufferedAmount : 0;
  };
  const queuedBytes = () => writeBufferBytes + transportBytes();

  const onPacket = (packet: EnginePacket) => {
    const bytes = bytesOf(packet);
    writeBufferBytes += bytes;
    totalBytes += bytes;
    if (carriedSeq > writeBufferSeq) writeBufferSeq = carriedSeq;
    const queued = queuedBytes();
    if (queued > peakQueuedBytes) peakQueuedBytes = queued;
    if (queued > limitBytes && !overflowed) {
      overflowed = true;
      // engine.io pushes the packet after this event: act once the whole send has been queued.
      queueMicrotask(() => onOverflow(queuedBytes()));
    }
  };
  // engine.io hands the whole writeBuffer to the transport and starts a new array.
  const onFlush = () => {
    writeBufferBytes = 0;
    if (writeBufferSeq > handed) handed = writeBufferSeq;
  };
  conn.on('packetCreate', onPacket);
  conn.on('flush', onFlush);
  // Watched until the connection itself is gone (not when socket.io says "disconnect"): a closing
  // connection still holds what it had not written.
  const onClose = () => watch.stop();
  conn.on('close', onClose);

  const watch: SendBufferWatch = {
    queuedBytes,
    totalBytes: () => totalBytes,
    handedSeq: () => handed,
    startAt(seq) {
      if (seq > handed) handed = seq;
    },
    discardBacklog() {
      const freed = writeBufferBytes;
      // Send callbacks belong to the dropped packets; the live stream registers none.
      conn.writeBuffer.splice(0);
      conn.packetsFn.splice(0);
      writeBufferBytes = 0;
      writeBufferSeq = handed;
      return freed;
    },
    forceClose() {
      const raw = conn.transport.socket;
      // ws would wait 30 s for the client's close frame, holding what it buffered: destroy now.
      if (isRawWebSocket(raw)) raw.terminate();
      if (conn.readyState !== 'closed') conn.close(true);
    },
    stop() {
      conn.off('packetCreate', onPacket);
      conn.off('flush', onFlush);
      conn.off('close', onClose);
      watches.delete(socket.id);
    },
  };
  watches.set(socket.id, watch);
  return watch;
}

/** How long a dropped client has to read what is already on its way (the reason among it) before its connection is destroyed. */
export const DROP_GRACE_MS = 5_000;
/** How soon a dropped client should come back: at once would meet the same backlog still draining. */
export const DROPPED_RETRY_AFTER_MS = 1_000;

/**
 * Ends a slow consumer: its backlog is dropped (it is replayed from the log when the client comes
 * back), it is told why and from which seq to resume, nothing more is queued for it, and its
 * connection is freed after {@link DROP_GRACE_MS} even if it never reads again.
 */
export function dropSlowConsumer(
  socket: Socket<ClientToServerEvents, ServerToClientEvents>,
  watch: SendBufferWatch,
  options: { limitBytes: number; logger: Logger; name: string; graceMs?: number },
): void {
  const queued = watch.queuedBytes();
  const freed = watch.discardBacklog();
  const seq = watch.handedSeq();
  const limitMb = (options.limitBytes / 1024 / 1024).toFixed(1);
  socket.emit('stream:dropped', {
    reason: 'slow_consumer',
    message: `this screen fell behind: over ${limitMb} MB waited to be sent to it, so the server stopped and is resuming it from event ${seq}`,
    limitBytes: options.limitBytes,
    seq,
    retryAfterMs: DROPPED_RETRY_AFTER_MS,
  });
  // Leaves every room at once and lets engine.io close once the reason is written ("closing" also
  // stops engine.io queueing anything else, heartbeats included).
  socket.disconnect(true);
  const grace = setTimeout(() => watch.forceClose(), options.graceMs ?? DROP_GRACE_MS);
  grace.unref();
  socket.conn.once('close', () => clearTimeout(grace));
  droppedTotal++;
  recentlyDropped.push(socket.id);
  if (recentlyDropped.length > RECENTLY_DROPPED_KEPT) recentlyDropped.shift();
  options.logger.warn(
    { socket: socket.id, name: options.name, queuedBytes: queued, droppedBytes: freed, limitBytes: options.limitBytes, seq },
    `live: dropped slow client "${options.name}": ${(queued / 1024 / 1024).toFixed(1)} MB unsent, over the ${limitMb} MB send buffer; it resumes from seq ${seq}`,
  );
}
