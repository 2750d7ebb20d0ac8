import 'server-only';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { BasketTable } from '@/ml/data/basket-table';
import type { Model } from '@/ml/model';

/**
 * The exact feature matrix a model's pipeline produces, for other tools
 * (scikit-learn, XGBoost) to train on the same features: libsvm with 0-based
 * indices, or CSV with a header of feature names. Labelled baskets only;
 * labels 0 LA, 1 MM, 2 UM. Streams; a large matrix never becomes one string.
 */
export async function exportFeatures(model: Model, table: BasketTable, file: string, format: 'libsvm' | 'csv') {
  const { X } = model.pipeline.transform(table);
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const names = model.pipeline.featureNames;
  if (format === 'csv') await write(`label,${names.map((n) => (/[",]/.test(n) ? `"${n.replaceAll('"', '""')}"` : n)).join(',')}\n`);
  let rows = 0;
  let buffer = '';
  const dense = new Float32Array(X.cols);
  for (let b = 0; b < X.rows; b++) {
    const label = table.label[b]!;
    if (label < 0) continue;
    rows++;
    if (format === 'libsvm') {
      let line = String(label);
      for (let p = X.indptr[b]!; p < X.indptr[b + 1]!; p++) line += ` ${X.indices[p]}:${X.values[p]}`;
      buffer += `${line}\n`;
    } else {
      for (let p = X.indptr[b]!; p < X.indptr[b + 1]!; p++) dense[X.indices[p]!] = X.values[p]!;
      buffer += `${label},${Array.from(dense).join(',')}\n`;
      for (let p = X.indptr[b]!; p < X.indptr[b + 1]!; p++) dense[X.indices[p]!] = 0;
    }
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  out.end();
  await once(out, 'finish');
  return { rows, features: X.cols, nonZeros: X.values.length };
}
