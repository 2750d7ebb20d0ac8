import { createReadStream } from 'node:fs';
import readline from 'node:readline';
import { CsrBuilder, type CsrMatrix } from '../../ml/core/matrix';

/** Read a libsvm file (0-based indices, as `features export` writes) into CSR + labels. */
export async function readLibsvm(file: string, cols?: number): Promise<{ X: CsrMatrix; y: Int8Array }> {
  const rows: { idx: number[]; val: number[] }[] = [];
  const labels: number[] = [];
  let maxCol = -1;
  for await (const line of readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    const parts = line.split(' ');
    labels.push(Number(parts[0]));
    const idx: number[] = [];
    const val: number[] = [];
    for (let i = 1; i < parts.length; i++) {
      const c = parts[i]!.indexOf(':');
      const j = Number(parts[i]!.slice(0, c));
      idx.push(j);
      val.push(Number(parts[i]!.slice(c + 1)));
      if (j > maxCol) maxCol = j;
    }
    rows.push({ idx, val });
  }
  const builder = new CsrBuilder(cols ?? maxCol + 1, rows.reduce((s, r) => s + r.idx.length, 0));
  for (const r of rows) {
    for (let i = 0; i < r.idx.length; i++) builder.push(r.idx[i]!, r.val[i]!);
    builder.endRow();
  }
  return { X: builder.build(), y: Int8Array.from(labels) };
}
