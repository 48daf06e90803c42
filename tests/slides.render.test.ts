/**
 * The renderer's edges on the embedded store: PowerPoint/OpenDocument conversion through
 * `soffice` (a stand-in script here: LibreOffice is not needed to test the plumbing), the page
 * limit and the render deadline (the child process is killed, nothing changes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Capabilities } from '../shared/deck.ts';
import { createSlidesDomain, type SlidesOptions } from '../server/slides/domain.ts';
import { createMemoryStore } from '../server/store/memory.ts';
import type { Store } from '../server/store/types.ts';
import { makePdf } from './helpers/pdf.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { createTestEvent, startServer, type TestServer } from './helpers/server.ts';

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const zipHead = (mimetype?: string) =>
  Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(mimetype ? `mimetype${mimetype}` : 'ppt/slides/slide1.xml'), Buffer.alloc(300)]);

describe.skipIf(!popplerAvailable)('deck conversion and render limits', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-test-render-'));
  const fake = path.join(dir, 'soffice');
  const log = path.join(dir, 'soffice.log');
  const servers: TestServer[] = [];
  const stores: Store[] = [];

  async function serve(options: SlidesOptions) {
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
    const store = createMemoryStore({ dataDir });
    const server = await startServer(store, { domains: [createSlidesDomain({ kind: 'memory', dataDir }, store, options)] });
    stores.push(store);
    servers.push(server);
    const ev = await createTestEvent(server.url);
    const put = (body: Buffer, type: string) =>
      fetch(`${server.url}/api/events/${ev.event.id}/items/aix/deck`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': type },
        body: new Uint8Array(body),
      });
    const caps = async () => ((await (await fetch(`${server.url}/api/capabilities`)).json()) as Capabilities).slides;
    const slides = async () => (await store.getState(ev.event.id))!.agenda[0]!.slides;
    return { put, caps, slides };
  }

  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'three.pdf'), makePdf(3));
    // A stand-in for LibreOffice with its command line: writes <outdir>/<name>.pdf.
    fs.writeFileSync(
      fake,
      `#!/bin/sh
outdir=""; src=""
while [ $# -gt 0 ]; do case "$1" in --outdir) outdir="$2"; shift;; -*) ;; *) src="$1";; esac; shift; done
echo "$$ $src" >> "${log}"
if [ -f "${dir}/sleep" ]; then sleep 30; fi
if [ -f "${dir}/fail" ]; then exit 1; fi
mkdir -p "$outdir"; name=$(basename "$src"); cp "${dir}/three.pdf" "$outdir/\${name%.*}.pdf"
`,
      { mode: 0o755 },
    );
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const s of stores) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('converts PPTX and ODP with soffice where it exists, and says so in the capabilities', async () => {
    const { put, caps, slides } = await serve({ soffice: fake });
    expect(await caps()).toMatchObject({ convert: true, types: expect.arrayContaining(['application/pdf', PPTX]) });
    const res = await put(zipHead(), PPTX);
    expect(res.status).toBe(201);
    expect((await res.json()).pageCount).toBe(3);
    expect((await slides()).pageCount).toBe(3);
    // An ODP sent as octet-stream is recognised by its bytes and handed over as .odp.
    expect((await put(zipHead('application/vnd.oasis.opendocument.presentation'), 'application/octet-stream')).status).toBe(201);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.map((l) => path.basename(l.split(' ')[1]!))).toEqual(['deck.pptx', 'deck.odp']);
    // An OpenDocument text is not a deck.
    expect((await put(zipHead('application/vnd.oasis.opendocument.text'), 'application/octet-stream')).status).toBe(415);
  });

  it('refuses what soffice cannot convert, changing nothing', async () => {
    const { put, slides } = await serve({ soffice: fake });
    fs.writeFileSync(path.join(dir, 'fail'), '');
    try {
      const res = await put(zipHead(), PPTX);
      expect(res.status).toBe(415);
      expect((await res.json()).error.message).toMatch(/could not convert .* PDF/);
      expect(await slides()).toEqual({ pageCount: 0, base: null });
    } finally {
      fs.rmSync(path.join(dir, 'fail'));
    }
  });

  it('without soffice, asks for a PDF', async () => {
    const { put, caps } = await serve({ soffice: null });
    expect(await caps()).toMatchObject({ convert: false, types: ['application/pdf'] });
    const res = await put(zipHead(), PPTX);
    expect(res.status).toBe(415);
    expect((await res.json()).error.message).toMatch(/LibreOffice is not installed.*PDF/);
  });

  it('refuses a deck over the page limit with 413', async () => {
    const { put, slides } = await serve({ maxPages: 3 });
    expect((await put(makePdf(3), 'application/pdf')).status).toBe(201);
    const res = await put(makePdf(4), 'application/pdf');
    expect(res.status).toBe(413);
    expect((await res.json()).error).toEqual({
      code: 'TOO_LARGE',
      message: 'the deck has 4 pages; the limit is 3',
      reason: 'deckTooManyPages',
      params: { pages: 4, max: 3 },
    });
    expect((await slides()).pageCount).toBe(3);
  });

  it('kills a conversion past the render deadline and refuses the deck', async () => {
    const { put, slides } = await serve({ soffice: fake, renderTimeoutMs: 700 });
    fs.writeFileSync(path.join(dir, 'sleep'), '');
    fs.writeFileSync(log, '');
    try {
      const res = await put(zipHead(), PPTX);
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toMatch(/took longer than/);
      expect(await slides()).toEqual({ pageCount: 0, base: null });
      const pid = Number(fs.readFileSync(log, 'utf8').split(' ')[0]);
      await eventually(() => expect(() => process.kill(pid, 0)).toThrow()); // the stand-in is gone
    } finally {
      fs.rmSync(path.join(dir, 'sleep'));
    }
  });
});
