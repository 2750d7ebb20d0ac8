import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { COLUMN_NAMES, HEADER_LINE } from '../schema';

/**
 * One streaming pass over an uploaded file, before any parsing: its sha256 (the
 * content identity), size, whether it is gzip, that the gzip is complete (DuckDB
 * silently stops at a truncated stream), its header line and its line count.
 * Constant memory whatever the size.
 */
export type InspectedFile = {
  name: string;
  path: string;
  sha256: string;
  bytes: number;
  compressed: boolean;
  header: string;
  /** Data rows (lines after the header; a last line without newline counts). */
  rows: number;
};

export class FileProblem extends Error {
  constructor(public readonly file: string, public readonly problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'FileProblem';
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];
const MAX_HEADER_BYTES = 64 * 1024;

/** Counts lines and keeps the first one, on decompressed bytes. */
class LineCounter extends Writable {
  lines = 0;
  header: string | null = null;
  private headerChunks: Buffer[] = [];
  private headerBytes = 0;
  private lastByte = -1;
  totalBytes = 0;

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void) {
    this.totalBytes += chunk.length;
    if (this.header === null) {
      const newline = chunk.indexOf(0x0a);
      const part = newline === -1 ? chunk : chunk.subarray(0, newline);
      this.headerChunks.push(part);
      this.headerBytes += part.length;
      if (newline !== -1 || this.headerBytes > MAX_HEADER_BYTES) {
        this.header = Buffer.concat(this.headerChunks).toString('utf8').replace(/\r$/, '').replace(/^\uFEFF/, '');
        this.headerChunks = [];
      }
    }
    let index = chunk.indexOf(0x0a);
    while (index !== -1) {
      this.lines++;
      index = chunk.indexOf(0x0a, index + 1);
    }
    this.lastByte = chunk[chunk.length - 1] ?? this.lastByte;
    done();
  }

  override _final(done: (error?: Error | null) => void) {
    if (this.header === null) this.header = Buffer.concat(this.headerChunks).toString('utf8').replace(/\r$/, '');
    if (this.totalBytes > 0 && this.lastByte !== 0x0a) this.lines++;
    done();
  }
}

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: n - 1 })) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, total);
}

export function describeHeaderMismatch(header: string): string {
  const found = header.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  if (found.length !== COLUMN_NAMES.length) {
    return `has ${found.length} columns in its header, expected the ${COLUMN_NAMES.length} columns of the transaction schema (${HEADER_LINE.slice(0, 60)}…); is it a file from another dataset?`;
  }
  const diffs = COLUMN_NAMES.map((expected, i) => (found[i] === expected ? null : `column ${i + 1} is "${found[i]}", expected "${expected}"`)).filter(Boolean);
  return `has an unexpected header: ${diffs.slice(0, 3).join('; ')}${diffs.length > 3 ? ` (and ${diffs.length - 3} more)` : ''}`;
}

export async function inspectFile(path: string, name: string): Promise<InspectedFile> {
  const magic = await firstBytes(path, 2).catch((error: Error) => {
    throw new FileProblem(name, `cannot be read (${error.message})`);
  });
  if (magic.length === 0) throw new FileProblem(name, 'is empty (0 bytes)');
  const compressed = magic[0] === GZIP_MAGIC[0] && magic[1] === GZIP_MAGIC[1];
  if (!compressed && /\.gz$/i.test(name)) throw new FileProblem(name, 'is named .gz but is not gzip-compressed');

  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const counter = new LineCounter();
  try {
    if (compressed) await pipeline(createReadStream(path), tap, createGunzip(), counter);
    else await pipeline(createReadStream(path), tap, counter);
  } catch (error) {
    const message = (error as Error).message;
    throw new FileProblem(name, compressed ? `is not a complete gzip file (${message}); it may be truncated or corrupt` : `cannot be read (${message})`);
  }
  const header = counter.header ?? '';
  if (counter.totalBytes === 0) throw new FileProblem(name, 'is empty (no header line)');
  if (header !== HEADER_LINE) throw new FileProblem(name, describeHeaderMismatch(header));
  return { name, path, sha256: hash.digest('hex'), bytes, compressed, header, rows: Math.max(0, counter.lines - 1) };
}

/** sha256 over the files' own hashes, sorted: the same content under any names or order is the same version. */
export function contentHashOf(fileHashes: string[]): string {
  const hash = createHash('sha256');
  for (const h of [...fileHashes].sort()) hash.update(`${h}\n`);
  return hash.digest('hex');
}
