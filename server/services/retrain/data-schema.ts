import 'server-only';
import { COLUMNS } from '@/server/datasets/schema';

/**
 * A version's column schema as NAME:TYPE strings, from its stored profile (what
 * the import pipeline actually wrote). Every version imported today has the
 * 22-column transaction schema; comparing them keeps a template from being
 * applied to data of another shape should the schema ever change.
 */
export function schemaColumnsOf(profile: unknown): string[] {
  const columns = (profile as { columns?: { name?: unknown; type?: unknown }[] } | null)?.columns;
  if (!Array.isArray(columns) || !columns.length) return COLUMNS.map((c) => `${c.name}:${c.type}`);
  return columns.map((c) => `${String(c.name)}:${String(c.type)}`);
}

/** Null when equal; otherwise what differs, for a message. */
export function schemaDifference(template: readonly string[], data: readonly string[]): string | null {
  const t = new Set(template);
  const d = new Set(data);
  const missing = template.filter((c) => !d.has(c));
  const extra = data.filter((c) => !t.has(c));
  if (!missing.length && !extra.length) return null;
  const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '');
  return [missing.length ? `lacks ${list(missing)}` : null, extra.length ? `has ${list(extra)} in addition` : null].filter(Boolean).join(' and ');
}
