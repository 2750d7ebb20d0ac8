import { gunzipSync } from 'node:zlib';

/**
 * The files inside a SageMaker model archive (model.tar.gz: /opt/ml/model,
 * tarred and gzipped). A minimal ustar reader: regular files only, names without
 * a leading "./"; PAX and GNU long-name records are skipped.
 */
export function readModelArchive(gz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gz);
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, length: number) => header.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new Error(`Corrupt tar header at byte ${offset}`);
    const type = text(156, 1) || '0';
    const prefix = text(257, 6).startsWith('ustar') ? text(345, 155) : '';
    const name = (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100)).replace(/^\.\//, '');
    const start = offset + 512;
    if (start + size > tar.length) throw new Error(`The archive is truncated inside "${name}"`);
    if (type === '0' && name) files.set(name, Buffer.from(tar.subarray(start, start + size)));
    offset = start + Math.ceil(size / 512) * 512;
  }
  return files;
}
