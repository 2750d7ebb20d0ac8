import { DATASET_NAME_MAX, DATASET_NAME_PATTERN, IMPORT_FILE_PATTERN, MAX_IMPORT_BYTES, RESERVED_DATASET_NAMES } from './codes';
import { formatBytes } from './format';

/**
 * What the browser checks before anything is sent, with the server's own rules
 * (server/services/datasets/schemas.ts): a person learns about a bad name or an empty
 * file while choosing, not after an upload. The server checks again regardless.
 */

/** The message for a dataset name the server would refuse, or null when it is fine. */
export function datasetNameProblem(raw: string): string | null {
  const name = raw.trim();
  if (!name) return 'Enter a dataset name.';
  if (name.length > DATASET_NAME_MAX) return `Use at most ${DATASET_NAME_MAX} characters.`;
  if (/[A-Z]/.test(name) && DATASET_NAME_PATTERN.test(name.toLowerCase())) return 'Use lowercase letters only.';
  if (!DATASET_NAME_PATTERN.test(name)) return 'Use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit.';
  if ((RESERVED_DATASET_NAMES as readonly string[]).includes(name)) return `"${name}" is reserved; choose another name.`;
  return null;
}

export type FileLike = { name: string; size: number; lastModified?: number };

/** The problem with one file on its own, or null. */
export function fileProblem(file: FileLike): string | null {
  if (!/\.csv(\.gz)?$/i.test(file.name)) return 'Not a .csv or .csv.gz file.';
  if (!IMPORT_FILE_PATTERN.test(file.name)) return 'Rename it: only letters, digits, ".", "_" and "-" (no spaces), starting with a letter or digit.';
  if (file.size === 0) return 'The file is empty (0 bytes).';
  return null;
}

/** Per file (same order), its problem or null: its own, or a name another file in the list already has. */
export function fileProblems(files: FileLike[]): (string | null)[] {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  return files.map((f) => fileProblem(f) ?? ((counts.get(f.name) ?? 0) > 1 ? 'Two files have this name; remove one.' : null));
}

/**
 * Add newly picked files to the list. Picking the very same file again (name, size and
 * modification time) is ignored; a different file with a taken name is kept and flagged.
 */
export function mergeFiles<T extends FileLike>(current: T[], incoming: T[]): T[] {
  const key = (f: FileLike) => `${f.name}\u0000${f.size}\u0000${f.lastModified ?? ''}`;
  const seen = new Set(current.map(key));
  const out = [...current];
  for (const file of incoming) {
    if (seen.has(key(file))) continue;
    seen.add(key(file));
    out.push(file);
  }
  return out;
}

/** Problems with the whole selection (nothing chosen, too big), or null. */
export function selectionProblem(files: FileLike[]): string | null {
  if (files.length === 0) return 'Choose at least one file.';
  if (files.length > 500) return 'An import takes at most 500 files.';
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > MAX_IMPORT_BYTES) return `An import may hold at most ${formatBytes(MAX_IMPORT_BYTES)}; this one has ${formatBytes(total)}.`;
  return null;
}
