/**
 * Security headers on every answer (PROTOCOL v2, "Security headers"): the pages hold keys in
 * their URL fragment (/admin, /m/…, /r/…), so no other site may frame them, and the policy lets a
 * page load what the built client uses — from its own origin — and nothing else:
 *
 * - `default-src 'none'`: whatever is not named below (fonts, workers, frames, manifests) is refused;
 *   the client uses the system fonts and has no worker, frame or manifest.
 * - `script-src 'self'`: the module scripts under /assets. No inline script (index.html has none),
 *   no eval: the client bundles no zod (its schemas reach the client as types only), so nothing
 *   probes `new Function`.
 * - `style-src 'self'`: the stylesheets under /assets. React's `style` props go through the CSSOM,
 *   which CSP does not govern; there are no `<style>` elements or style attributes in markup.
 * - `img-src 'self' data:`: slide pages and the QR code come from /api; the favicon is a data: URI.
 * - `connect-src 'self' ws://<host> wss://<host>`: fetch to /api and the Socket.IO websocket, same
 *   origin. CSP 3 browsers match same-origin ws: under 'self'; Safari before 15.4 (older phones in
 *   the room) does not, so the websocket origin of the address the page was loaded from is named.
 * - `media-src 'self' blob:`: room for the interpretation audio the next feature brings; no media today.
 * - `object-src 'none'`, `base-uri 'none'`: no plugins; no `<base>` to re-point relative URLs.
 * - `form-action 'self'`: forms are handled in script; none may post elsewhere.
 * - `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for browsers that predate it): no framing.
 */
import type { RequestHandler } from 'express';

/** A Host header we may repeat in a header: a name or an IPv4/IPv6 literal, and a port. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The Content-Security-Policy of a page loaded from `host` (the request's Host header). */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.set({
    'Content-Security-Policy': contentSecurityPolicy(req.headers.host),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
  next();
};
