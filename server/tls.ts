/**
 * A self-signed certificate for the consoles' HTTPS port (`HTTPS_PORT`): browsers give the microphone
 * only to secure pages, and a venue laptop has no certificate. Made once with `openssl` (Debian's
 * package) for the machine's addresses and kept in `DATA_DIR/tls/`; made again when the addresses
 * change. Each interpreter laptop accepts it once in the browser's warning page.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** `{cert, key}` PEM for `names` (IP addresses or host names), or why there is none. */
export function selfSignedCertificate(dir: string, names: string[]): { cert: Buffer; key: Buffer } | { error: string } {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const namesFile = path.join(dir, 'names.txt');
  const wanted = [...new Set(names)].join(',');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile) && fs.existsSync(namesFile) && fs.readFileSync(namesFile, 'utf8') === wanted) {
    return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const san = [...new Set(names)].map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const r = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '365', '-keyout', keyFile, '-out', certFile, '-subj', `/CN=${names[0] ?? 'tribune'}`, '-addext', `subjectAltName=${san}`],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
  );
  if (r.error || r.status !== 0) return { error: r.error ? `openssl is not available (${r.error.message})` : `openssl failed: ${String(r.stderr).trim().split('\n').pop()}` };
  fs.chmodSync(keyFile, 0o600);
  fs.writeFileSync(namesFile, wanted);
  return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
}
