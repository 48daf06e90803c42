/**
 * The upload body: streamed to a temporary file (never held in memory), counted against the cap
 * and hashed on the way, with its first bytes kept to tell what kind of file it is.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Request } from 'express';
import { OFFICE_TYPES, PDF_TYPE } from '../../shared/deck.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { DeckRefusal, tooLarge, type DeckKind } from './render.ts';

export interface Received {
  bytes: number;
  /** SHA-256 (hex) of `salt` followed by the body. */
  sha256: string;
  /** The first bytes of the body (up to 1 KB). */
  head: Buffer;
}

const HEAD_BYTES = 1024;

export const tooLargeUpload = (maxBytes: number) =>
  tooLarge(`the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB: reduce its images (or split the deck), then upload again`, 'deckTooBig', {
    mb: Math.round(maxBytes / 1024 / 1024),
  });

/**
 * Writes the request body to `file`. Over `maxBytes` it stops writing and rejects with 413; the
 * rest of the body is left to the API's error handler, which reads it off (within bounds) before
 * answering, so the client — still sending — gets the answer instead of a reset connection.
 */
export function receiveBody(req: Request, file: string, maxBytes: number, salt: string): Promise<Received> {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLargeUpload(maxBytes));
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256').update(salt);
    const out = fs.createWriteStream(file, { flags: 'wx' });
    const headParts: Buffer[] = [];
    let headBytes = 0;
    let bytes = 0;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.pause();
      out.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) return fail(tooLargeUpload(maxBytes));
      hash.update(chunk);
      if (headBytes < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headBytes);
        headParts.push(part);
        headBytes += part.length;
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => !settled && req.resume());
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (settled) return;
      out.end(() => {
        if (settled) return;
        settled = true;
        resolve({ bytes, sha256: hash.digest('hex'), head: Buffer.concat(headParts) });
      });
    });
    req.once('close', () => {
      if (!req.readableEnded) fail(new DeckRefusal(ErrorCode.INVALID_PAYLOAD, 'the upload was interrupted', 400));
    });
    req.once('error', (err) => fail(err));
    out.once('error', (err) => fail(err));
  });
}

/** What the declared media type says (before any byte is read): a refusal decided early saves the upload. */
export function declaredKind(contentType: string | undefined): 'pdf' | 'office' | 'unknown' | 'refused' {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === PDF_TYPE || type === 'application/x-pdf') return 'pdf';
  if ((OFFICE_TYPES as readonly string[]).includes(type)) return 'office';
  // Browsers send an empty type or octet-stream for files they cannot name: the bytes decide.
  if (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream') return 'unknown';
  return 'refused';
}

/**
 * What the first bytes say. PDF readers accept `%PDF-` within the first KB; PPTX and ODP are ZIP
 * files (an ODF file names its type in its first entry); PPT is an OLE2 compound file.
 */
export function sniffKind(head: Buffer): DeckKind | null {
  if (head.indexOf('%PDF-') !== -1) return 'pdf';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) {
    const text = head.toString('latin1');
    if (text.includes('mimetypeapplication/vnd.oasis.opendocument.presentation')) return 'odp';
    if (text.includes('mimetypeapplication/vnd.oasis.opendocument')) return null; // a text or a sheet
    return 'pptx';
  }
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ppt';
  return null;
}
