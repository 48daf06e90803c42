/** Room names, from one helper: per event, per language, per role. */
import type { Role } from '../../shared/schemas.ts';

export const rooms = {
  event: (eventId: string) => `e:${eventId}`,
  lang: (eventId: string, lang: string) => `e:${eventId}:lang:${lang}`,
  role: (eventId: string, role: Role) => `e:${eventId}:role:${role}`,
  /** Every socket of one device (questions: the author's and voter's own view). */
  device: (eventId: string, deviceId: string) => `e:${eventId}:device:${deviceId}`,
};
