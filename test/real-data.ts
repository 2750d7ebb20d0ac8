import { existsSync } from 'node:fs';
import path from 'node:path';

/** The real dunnhumby sample, next to the project on these machines; absent on a user's. */
export const REAL_DATA_DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'dunnhumby');
export const HAS_REAL_DATA = existsSync(path.join(REAL_DATA_DIR, 'transactions_200607.csv.gz'));

if (!HAS_REAL_DATA) console.warn(`[real data] ${REAL_DATA_DIR} is absent: tests on the real dunnhumby files are skipped.`);
