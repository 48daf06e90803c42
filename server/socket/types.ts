import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '../../shared/events.ts';

// Server-to-server events are not used: the adapter carries broadcasts only.
export type TribuneServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TribuneSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
