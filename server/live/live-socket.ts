/** The typed socket.io server and socket of the live stream, shared by its modules. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/events.ts';
import type { UnitPosition } from '../contract/units.ts';
import type { Principal } from '../auth/principal.ts';
import type { Filter } from './subscription.ts';

/** What the handshake established about a socket. */
export interface SocketData {
  principal: Principal;
  since: number | undefined;
  batch: boolean;
  filter: Filter;
}
/** Between server nodes (through the socket.io adapter): a token's sessions end on every node. */
export interface NodeToNodeEvents {
  'sessions:end': (tokenId: string, reason: 'revoked' | 'expired') => void;
  /** Positions stored on another node, coalesced there (positions are not in the log the nodes follow). */
  'units:positions': (positions: UnitPosition[]) => void;
}
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, NodeToNodeEvents, SocketData>;
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, NodeToNodeEvents, SocketData>;
