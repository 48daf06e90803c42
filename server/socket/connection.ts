/** What happens when a socket joins: rooms, the first snapshot, presence, its commands. */
import { agendaCommands } from '../agenda/handlers.ts';
import type { DeviceProofs } from '../auth/device.ts';
import type { AllowanceTracker } from './allowances.ts';
import type { Domain, DomainContext } from '../domain.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { attachCommands, type CommandLimits, type CommandTable } from './commands.ts';
import type { createPresence } from './presence.ts';
import { projectorShow } from './projector.ts';
import { join } from './deliver.ts';
import { deliverSnapshots, type SnapshotPart } from './snapshots.ts';
import type { TribuneServer, TribuneSocket } from './types.ts';

export interface ConnectionDeps {
  io: TribuneServer;
  store: Store;
  logger: Logger;
  presence: ReturnType<typeof createPresence>;
  domains: Domain[];
  ctx: DomainContext;
  proofs: DeviceProofs;
  limits: CommandLimits;
  allowances: AllowanceTracker;
}

export function onConnection({ store, logger, presence, domains, ctx, proofs, limits, allowances }: ConnectionDeps) {
  // One command table per server: the core's, then each domain's. A name may be given twice only
  // where a domain says it replaces it (`Domain.replaces`); anything else is a mistake, stopped here.
  const commandTable: CommandTable = agendaCommands(store);
  for (const d of domains) {
    for (const [name, handler] of Object.entries(d.commands?.(ctx) ?? {})) {
      if (name in commandTable && !d.replaces?.includes(name)) throw new Error(`command ${name} is registered twice (domain ${d.name})`);
      (commandTable as Record<string, unknown>)[name] = handler;
    }
  }
  // One projector:show for every mode; the domain owning a mode checks what it shows.
  commandTable['projector:show'] = projectorShow(store, domains, ctx);
  // After `lang:set` moved a socket to its new language room, domains follow (e.g. the caption
  // history of that language): joined first, then read, so nothing falls in between.
  const langSet = commandTable['lang:set'];
  if (langSet) {
    commandTable['lang:set'] = async (payload, socket) => {
      const result = await langSet(payload, socket);
      for (const d of domains) {
        await d.onLangChanged?.(socket, ctx, payload).catch((err) =>
          logger.warn({ eventId: socket.data.eventId, domain: d.name, err: String(err) }, 'language change not followed'),
        );
      }
      return result;
    };
  }
  const onSocketError = (err: Error) => logger.debug({ err: String(err) }, 'socket error');
  return (socket: TribuneSocket) => {
    const { eventId, role, lang, table } = socket.data;
    // Join first, then read: a change landing in between reaches this socket as a newer rev.
    join(socket, { event: true, roles: [role], langs: [lang] });
    if (role === 'attendee') {
      presence.join(eventId, table);
      socket.on('disconnect', () => presence.leave(eventId, table));
    }

    // A protocol violation (e.g. binary) closes the connection; without a listener, Socket.IO's
    // "error" event would throw. One function for every socket.
    socket.on('error', onSocketError);
    const command = attachCommands(socket, commandTable, logger, { ...limits, allowances });
    // A device the server had not seen gets its proof: kept by the phone, it is known next time.
    if (socket.data.needsProof) {
      socket.emit('device', { proof: proofs.issue(socket.data.deviceId, socket.data.deviceSince) });
    }
    for (const d of domains) d.register?.(socket, command, ctx);

    // The state first, then each domain's snapshot; tried again while the store is away.
    const parts: SnapshotPart[] = [
      {
        name: 'state',
        send: async () => {
          const state = await store.getState(eventId);
          if (state) socket.emit('state', { ...state, serverTime: Date.now() });
        },
      },
      ...domains.flatMap((d) => (d.onJoined ? [{ name: d.name, send: () => d.onJoined!(socket, ctx) }] : [])),
    ];
    deliverSnapshots(socket, parts, logger);
  };
}
