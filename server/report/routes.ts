/**
 * The report's HTTP routes (PROTOCOL.md `GET /api/events/:id/report` and its downloads; the
 * summary routes are extensions, docs/PROTOCOL.md). Checked in this order: the event (404), the
 * key (401), then what is asked (an unknown file or language: 404; a bad body: 400).
 *
 * Readers: the moderator's key, the event's read-only report key, or the admin token; the report
 * key's readers see no question awaiting approval. Writers of the summary: the moderator's key or
 * the admin token (the report key only reads).
 */
import type { Request, Response, Router } from 'express';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { DraftInput, ReportFiles, SummaryInput, type Report, type ReportFile, type SummaryEntry } from '../../shared/report.ts';
import { LIMITS, type LiveState } from '../../shared/schemas.ts';
import { secretMatches } from '../auth/secrets.ts';
import type { TranslationEngine as Translator } from '../translate/engine.ts';
import { jsonBody } from '../http/body.ts';
import { bearer } from '../http/routes.ts';
import { bucketsPerClient } from '../limits.ts';
import { domainLog } from '../log/event-logs.ts';
import { buildReport, type ReportSources } from './build.ts';
import { reportFile } from './files.ts';
import { reportReducer, summariesOf, type ReportEntry, type ReportState } from './rules.ts';

export interface ReportRouteDeps extends ReportSources {
  /** Requests per client address: a burst, then this many per second (defaults: 120, 20). */
  burst?: number;
  perSecond?: number;
  /** Read at request time (the app's context is complete only once it listens). */
  adminTokenHash: () => string;
  translator: Translator | null;
}

type Access = 'read' | 'write';

const notFound = (message: string) => new TribuneError(ErrorCode.NOT_FOUND, message);

/** Whose key opened the report: the read-only report key, or the organisers' (moderator, admin). */
type Reader = 'report' | 'organiser';

/** The event's state and reader once the key allows `access`, else NOT_FOUND / AUTH_FAILED. */
async function authorize(deps: ReportRouteDeps, eventId: string, req: Request, access: Access): Promise<{ state: LiveState; reader: Reader }> {
  const [record, state] = await Promise.all([deps.core.getEvent(eventId), deps.core.getState(eventId)]);
  if (!record || !state) throw notFound('no such event');
  const token = bearer(req);
  let reader: Reader | null = null;
  if (token) {
    // Every secret is compared (no early exit), so the time taken does not tell which matched.
    const moderator = secretMatches(token, record.secretHashes.moderator);
    const admin = secretMatches(token, deps.adminTokenHash());
    const report = record.secretHashes.report ? secretMatches(token, record.secretHashes.report) : false;
    reader = moderator || admin ? 'organiser' : access === 'read' && report ? 'report' : null;
  }
  if (!reader) {
    throw new TribuneError(
      ErrorCode.AUTH_FAILED,
      access === 'read' ? 'the report key is missing or wrong' : "the moderator's key is missing or wrong",
    );
  }
  return { state, reader };
}

/**
 * The report as its reader may see it. The report key is sent to cities outside the room: its
 * readers see the questions the room saw (live, answered), never those awaiting approval, which
 * pre-moderation keeps from everyone but the moderators. Builds are shared between readers of
 * both kinds, so this is applied to each answer, never to the shared build.
 */
function seenBy(report: Report, reader: Reader): Report {
  return reader === 'report'
    ? { ...report, questions: report.questions.filter((q) => q.status !== 'pending'), polls: report.polls.filter((p) => p.status !== 'draft') }
    : report;
}

function languageOf(state: LiveState, lang: unknown): string {
  if (typeof lang !== 'string' || !state.event.languages.includes(lang)) {
    throw new TribuneError(ErrorCode.NOT_FOUND, 'not a language of this event', 'notALanguage', { lang: String(lang ?? '') });
  }
  return lang;
}

/** The API compresses the body when the client accepts it (server/http/compress.ts): a transcript in six languages is MBs. */
function send(res: Response, type: string, body: string, name?: string) {
  res.set('Cache-Control', 'no-store').set('Content-Type', type);
  if (name) res.set('Content-Disposition', `attachment; filename="${name}"`);
  res.send(body);
}

/**
 * Reports being built, by event and languages: requests that arrive together (a link sent to
 * every city, opened at once) share one build instead of each reading every store. A summary
 * saved here moves the event's epoch, so a request after the save never joins a build begun
 * before it (the writer reads what it wrote).
 */
interface Builds {
  pending: Map<string, Promise<Report | null>>;
  epoch: Map<string, number>;
}

async function report(deps: ReportRouteDeps & { building: Builds }, state: LiveState, langs?: string[]): Promise<Report> {
  const { pending: building, epoch } = deps.building;
  const key = `${state.event.id}\u0000${epoch.get(state.event.id) ?? 0}\u0000${langs?.join(',') ?? '*'}`;
  let pending = building.get(key);
  if (!pending) {
    pending = buildReport(deps, state.event.id, { machineDrafts: deps.translator !== null, ...(langs ? { langs } : {}) });
    building.set(key, pending);
    void pending.then(
      () => building.delete(key),
      () => building.delete(key),
    );
  }
  const built = await pending;
  if (!built) throw notFound('no such event');
  return built;
}

/** Paragraph by paragraph (each a request the service bounds), blank lines kept. */
async function translateText(translator: Translator, text: string, from: string, to: string): Promise<string> {
  const parts = text.split(/(\n\s*\n)/);
  const out = await Promise.all(parts.map((p, n) => (n % 2 === 1 || !p.trim() ? p : translator.translate(p, from, to))));
  if (out.some((p) => p === null)) {
    throw new TribuneError(ErrorCode.UNAVAILABLE, 'the translation service did not answer, retry', 'translationFailed');
  }
  return out.join('');
}

export function reportRoutes(api: Router, routeDeps: ReportRouteDeps): void {
  const deps = { ...routeDeps, building: { pending: new Map(), epoch: new Map() } as Builds };
  const reportLog = domainLog<ReportState, ReportEntry>(deps.logs, reportReducer);
  /** Stores one language's summary; null removes it. */
  const saved = async (eventId: string, lang: string, entry: SummaryEntry | null) => {
    await reportLog.append(eventId, { kind: 'report.summary', payload: { lang, entry } });
    deps.building.epoch.set(eventId, (deps.building.epoch.get(eventId) ?? 0) + 1);
  };
  const json = jsonBody(LIMITS.httpJsonBytes);
  // Bounded per address: a report reads every store. Readers are a few screens and the cities'
  // offices, so the bound never meets a real reader (a whole room's phones never ask for it).
  const take = bucketsPerClient(deps.burst ?? 120, deps.perSecond ?? 20);
  api.use('/events/:id/report', (req, _res, next) => {
    if (!take(req.ip ?? req.socket.remoteAddress ?? '')) {
      throw new TribuneError(ErrorCode.RATE_LIMITED, 'too many report requests, wait a moment', 'tooFast');
    }
    next();
  });
  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, body: unknown): T => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, parsed.error.issues[0]?.message ?? 'invalid body');
    return parsed.data;
  };

  api.get('/events/:id/report', async (req, res) => {
    const { state, reader } = await authorize(deps, req.params.id, req, 'read');
    // Extensions: `?lang=` keeps one transcript language (the report page needs one at a time),
    // `?transcript=none` none (the panels show no transcript).
    const langs =
      req.query.lang !== undefined ? [languageOf(state, req.query.lang)] : req.query.transcript === 'none' ? [] : undefined;
    send(res, 'application/json; charset=utf-8', JSON.stringify(seenBy(await report(deps, state, langs), reader)));
  });

  api.get('/events/:id/report/:file', async (req, res) => {
    const { state, reader } = await authorize(deps, req.params.id, req, 'read');
    const file = req.params.file as ReportFile;
    if (!(ReportFiles as readonly string[]).includes(file)) throw notFound('no such report file');
    const transcript = file.startsWith('transcript.');
    // A transcript is of one language: the one asked, else the floor language.
    const lang = transcript ? languageOf(state, req.query.lang ?? state.event.languages[0]) : '';
    // Only what the file shows: a CSV reads no transcript, a transcript one language.
    const built = await report(deps, state, transcript ? [lang] : file === 'report.json' ? undefined : []);
    const download = reportFile(seenBy(built, reader), file, lang);
    send(res, download.type, download.body, download.name);
  });

  const summaries = async (eventId: string) => ({ summary: summariesOf(await reportLog.state(eventId)) });

  // The key is checked before the body is read (401 before 400); the state it read is kept.
  const writer = async (req: Request<{ id: string; lang: string }>, res: Response, next: () => void) => {
    res.locals.state = (await authorize(deps, req.params.id, req, 'write')).state;
    next();
  };

  api.put('/events/:id/report/summary/:lang', writer, json, async (req, res) => {
    const state = res.locals.state as LiveState;
    const lang = languageOf(state, req.params.lang);
    const { text } = parse(SummaryInput, req.body);
    const entry: SummaryEntry | null = text.trim() ? { text: text.trim(), source: 'human', updatedAt: Date.now() } : null;
    await saved(state.event.id, lang, entry);
    res.set('Cache-Control', 'no-store').json(await summaries(state.event.id));
  });

  api.post('/events/:id/report/summary/:lang/draft', writer, json, async (req, res) => {
    const state = res.locals.state as LiveState;
    const lang = languageOf(state, req.params.lang);
    const { from } = parse(DraftInput, req.body);
    const source = summariesOf(await reportLog.state(state.event.id))[languageOf(state, from)];
    if (!source) throw new TribuneError(ErrorCode.NOT_FOUND, 'there is no summary in that language yet', 'noSummary', { lang: from });
    if (!deps.translator) throw new TribuneError(ErrorCode.CONFLICT, 'no machine translation on this server (install Apertium, or set TRANSLATE_URL)', 'noTranslation');
    const text = await translateText(deps.translator, source.text, from, lang);
    await saved(state.event.id, lang, { text, source: 'machine', updatedAt: Date.now() });
    res.set('Cache-Control', 'no-store').json(await summaries(state.event.id));
  });
}
