/**
 * `projector:show`, once for every mode: a domain that owns a mode (questions: `question`, polls:
 * `poll`) checks what it is asked to show before the change is stored (`Domain.projector`), and may
 * say what to do once it is shown (the questions domain sends the projector the question). The live
 * state goes out from the fold like every moderator change (state-broadcast.ts).
 */
import type { ProjectorMode } from '../../shared/schemas.ts';
import type { Domain, DomainContext, ProjectorCheck } from '../domain.ts';
import type { CommandHandler } from './commands.ts';
import type { Store } from '../store/types.ts';

export function projectorShow(store: Store, domains: Domain[], ctx: DomainContext): CommandHandler<'projector:show'> {
  const checks = new Map<ProjectorMode, ProjectorCheck>();
  for (const d of domains) {
    for (const [mode, check] of Object.entries(d.projector ?? {}) as [ProjectorMode, ProjectorCheck][]) {
      if (checks.has(mode)) throw new Error(`projector mode ${mode} is checked twice (domain ${d.name})`);
      checks.set(mode, check);
    }
  }
  return async (payload, socket) => {
    const shown = await checks.get(payload.mode)?.(payload, socket, ctx);
    await store.change(socket.data.eventId, 'projector:show', payload);
    shown?.();
    return undefined;
  };
}
