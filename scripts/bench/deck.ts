/**
 * A realistic deck for the slides bench: 16:9 pages with a title, bullets in a web font stack, a
 * vector bar chart and a photo-like raster image, printed to PDF by headless Chromium (as a deck
 * exported from a presentation program would be: embedded fonts, vector shapes, one image per
 * page). Without Chromium: the tests' tiny generator (flat colours, so far smaller images).
 */
import fs from 'node:fs';
import { makePdf } from '../../tests/helpers/pdf.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function makeBenchDeck(pages: number): Promise<{ pdf: Buffer; kind: string }> {
  if (!fs.existsSync(CHROMIUM)) return { pdf: makePdf(pages), kind: 'generated (flat colours; Chromium not found)' };
  const { chromium } = await import('playwright-core');
  const slides = Array.from({ length: pages }, (_, i) => {
    const bars = Array.from({ length: 12 }, (_, j) => {
      const h = (i * 7 + j * 13) % 100;
      return `<rect x="${j * 50}" y="${120 - h}" width="40" height="${h}" fill="hsl(${j * 30},60%,45%)"/>`;
    }).join('');
    return `<section style="break-after:page;width:1280px;height:720px;position:relative;overflow:hidden;
      background:linear-gradient(135deg,hsl(${(i * 37) % 360},60%,92%),hsl(${(i * 37 + 60) % 360},55%,80%));font-family:sans-serif">
      <h1 style="font-size:56px;margin:48px 64px 16px;color:#123">${i + 1}. Gestion urbaine du centre historique</h1>
      <ul style="font-size:30px;margin:0 64px;line-height:1.5;color:#234;width:640px">
        <li>Piétonnisation progressive des rues commerçantes</li>
        <li>Rénovation énergétique du bâti ancien (${1990 + i})</li>
        <li>Concertation avec les habitants et les commerçants</li>
        <li>Tourisme : équilibre entre visiteurs et résidents</li>
      </ul>
      <canvas id="c${i}" width="420" height="420" style="position:absolute;right:60px;top:200px;width:420px;height:420px"></canvas>
      <svg style="position:absolute;left:64px;bottom:40px" width="600" height="120">${bars}</svg>
    </section>`;
  }).join('');
  // A smooth, photo-like picture per page (JPEG-friendly, as photos in real decks are).
  const paint = `for (let i = 0; i < ${pages}; i++) { const c = document.getElementById('c' + i).getContext('2d');
    for (let y = 0; y < 420; y += 2) for (let x = 0; x < 420; x += 2) { const v = Math.sin(x * 0.05 + i) * Math.cos(y * 0.04) * 127 + 128;
      c.fillStyle = 'rgb(' + v + ',' + ((x + y + i * 20) % 255) + ',' + (255 - v) + ')'; c.fillRect(x, y, 2, 2); } }`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setContent(`<html><body style="margin:0">${slides}<script>${paint}</script></body></html>`);
    const pdf = await page.pdf({ width: '1280px', height: '720px', printBackground: true });
    return { pdf: Buffer.from(pdf), kind: 'printed by Chromium (text, vector chart, one raster image per page)' };
  } finally {
    await browser.close();
  }
}
