/**
 * Real LibreOffice, end to end: a three-slide presentation saved as PPTX and as ODP by soffice
 * itself is uploaded, converted, rendered and served page by page.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageUrl, type DeckUploaded } from '../shared/deck.ts';
import { createSlidesDomain } from '../server/slides/domain.ts';
import { createMemoryStore } from '../server/store/memory.ts';
import type { Store } from '../server/store/types.ts';
import { soffice } from './helpers/office.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { createTestEvent, startServer, type TestServer } from './helpers/server.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'three-slides.fodp');

describe.skipIf(!soffice || !popplerAvailable)('decks converted by LibreOffice', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-test-office-'));
  let server: TestServer;
  let store: Store;
  let ev: Awaited<ReturnType<typeof createTestEvent>>;

  beforeAll(async () => {
    // The fixture is flat XML (reviewable text); soffice writes the binary formats users upload.
    for (const format of ['pptx', 'odp']) {
      execFileSync(
        soffice!,
        [`-env:UserInstallation=file://${path.join(dir, `profile-${format}`)}`, '--headless', '--norestore', '--convert-to', format, '--outdir', dir, FIXTURE],
        { env: { ...process.env, HOME: dir }, stdio: 'ignore', timeout: 60_000 },
      );
    }
    const dataDir = path.join(dir, 'data');
    store = createMemoryStore({ dataDir });
    server = await startServer(store, { domains: [createSlidesDomain({ kind: 'memory', dataDir }, store, {})] });
    ev = await createTestEvent(server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const put = (item: string, file: string, type: string) =>
    fetch(`${server.url}/api/events/${ev.event.id}/items/${item}/deck`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': type },
      body: new Uint8Array(fs.readFileSync(path.join(dir, file))),
    });

  it.each([
    ['three-slides.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'aix'],
    // Sent the way a browser without a MIME type for .odp sends it: recognised by its bytes.
    ['three-slides.odp', 'application/octet-stream', 'granada'],
  ])('%s becomes three rendered pages', async (file, type, item) => {
    const res = await put(item, file, type);
    expect(res.status).toBe(201);
    const deck = (await res.json()) as DeckUploaded;
    expect(deck.pageCount).toBe(3);
    const state = await store.getState(ev.event.id);
    expect(state!.agenda.find((i) => i.id === item)!.slides).toEqual({ pageCount: 3, base: deck.base });
    for (const page of [1, 3]) {
      const img = await fetch(`${server.url}${pageUrl(deck.base, page, 'phone')}`);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/jpeg');
      expect((await img.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(`${server.url}${pageUrl(deck.base, 4, 'phone')}`)).status).toBe(404);
  }, 60_000);
});
