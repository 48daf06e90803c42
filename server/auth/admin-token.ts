/**
 * The admin token when ADMIN_TOKEN is not set: made at the first start, kept in
 * `DATA_DIR/admin-token` (mode 0600: the account running Tribune alone reads it) and reused
 * afterwards — so the admin link survives restarts and is printed once, instead of a new token
 * being printed at every start into logs that outlive the evening.
 */
import fs from 'node:fs';
import path from 'node:path';
import { newSecret } from './secrets.ts';

export interface AdminToken {
  token: string;
  /** `env`: ADMIN_TOKEN; `new`: made by this start; `file`: made by an earlier one. */
  source: 'env' | 'new' | 'file';
  /** Where it is kept (not for ADMIN_TOKEN). */
  file: string | null;
}

function readKept(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const token = text.trim();
  if (!token) throw new Error(`${file} is empty: delete it to have a new admin token made, or set ADMIN_TOKEN`);
  return token;
}

/** ADMIN_TOKEN when set; else the one kept in `dataDir`, made (and kept) on the first call. */
export function adminToken(fromEnv: string | null, dataDir: string): AdminToken {
  if (fromEnv) return { token: fromEnv, source: 'env', file: null };
  const file = path.resolve(dataDir, 'admin-token');
  const kept = readKept(file);
  if (kept) return { token: kept, source: 'file', file };

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const token = newSecret();
  // Written whole under another name, then linked into place: a process starting at the same time
  // on this DATA_DIR sees either no file or the whole token, and only one token wins.
  const draft = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(draft, `${token}\n`, { mode: 0o600 });
  try {
    fs.linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { token: readKept(file)!, source: 'file', file };
  } finally {
    fs.rmSync(draft, { force: true });
  }
  return { token, source: 'new', file };
}
