import 'server-only';
import { z } from 'zod';

export const datasetNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'may use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit')
  .refine((name) => !['imports', 'versions'].includes(name), 'is reserved');

export const fileNameSchema = z
  .string()
  .min(1)
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.csv(\.gz)?$/i, 'must be a .csv or .csv.gz file name (letters, digits, ".", "_", "-")');

/** Uploads bigger than this are refused before a byte is sent. */
export const MAX_IMPORT_BYTES = 20 * 1024 ** 3;

export const startImportInput = z.strictObject({
  dataset: datasetNameSchema,
  description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  files: z
    .array(z.strictObject({ name: fileNameSchema, bytes: z.number().int().min(1, 'is empty (0 bytes)') }))
    .min(1, 'choose at least one file')
    .max(500, 'at most 500 files per import')
    .refine((files) => new Set(files.map((f) => f.name)).size === files.length, 'two files have the same name')
    .refine((files) => files.reduce((sum, f) => sum + f.bytes, 0) <= MAX_IMPORT_BYTES, `an import may hold at most ${MAX_IMPORT_BYTES / 1024 ** 3} GB`),
});

export type SourceFile = { name: string; bytes: number; sha256: string | null; rows?: number };

export const storageKeys = {
  version: (datasetId: string, versionId: string) => `datasets/${datasetId}/${versionId}/`,
  raw: (datasetId: string, versionId: string, file: string) => `datasets/${datasetId}/${versionId}/raw/${file}`,
  curated: (datasetId: string, versionId: string) => `datasets/${datasetId}/${versionId}/curated/`,
  report: (datasetId: string, versionId: string) => `datasets/${datasetId}/${versionId}/quality.json`,
  profile: (datasetId: string, versionId: string) => `datasets/${datasetId}/${versionId}/profile.json`,
};

/** Statuses of an import that has not finished (and so is not a usable version). */
export const IN_PROGRESS = ['uploading', 'importing', 'validating'] as const;
