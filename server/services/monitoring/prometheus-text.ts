/**
 * A parser for the Prometheus text exposition format (version 0.0.4), the subset
 * that matters to the collector: samples with their labels and values. Comments
 * (HELP, TYPE) are skipped; a malformed line is reported and skipped, so one bad
 * line never hides the rest of a scrape. npm's parsers for this format are
 * unmaintained or pull in the protobuf format too; this one is small and tested.
 */
export type PromSample = { name: string; labels: Record<string, string>; value: number };

export type ParseResult = { samples: PromSample[]; badLines: { line: number; text: string; reason: string }[] };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): ParseResult {
  const samples: PromSample[] = [];
  const badLines: ParseResult['badLines'] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const parsed = parseSampleLine(line);
    if (typeof parsed === 'string') badLines.push({ line: i + 1, text: line.slice(0, 200), reason: parsed });
    else samples.push(parsed);
  }
  return { samples, badLines };
}

/** One sample line, or the reason it is malformed. */
export function parseSampleLine(line: string): PromSample | string {
  const name = NAME.exec(line)?.[0];
  if (!name) return 'no metric name';
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      while (line[pos] === ' ') pos++;
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const labelName = LABEL_NAME.exec(line.slice(pos))?.[0];
      if (!labelName) return 'bad label name';
      pos += labelName.length;
      if (line[pos] !== '=' || line[pos + 1] !== '"') return `label ${labelName} has no quoted value`;
      pos += 2;
      let value = '';
      for (;;) {
        const ch = line[pos];
        if (ch === undefined) return `label ${labelName} has an unterminated value`;
        pos++;
        if (ch === '"') break;
        if (ch === '\\') {
          const next = line[pos++];
          value += next === 'n' ? '\n' : next === undefined ? '' : next;
        } else value += ch;
      }
      labels[labelName] = value;
      while (line[pos] === ' ') pos++;
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') return 'labels must be separated by commas';
    }
  }
  // Value, then an optional timestamp (ignored: the collector stamps scrapes itself).
  const [valueText] = line.slice(pos).trim().split(/\s+/);
  if (!valueText) return 'no value';
  const value = parseValue(valueText);
  if (value === null) return `bad value "${valueText.slice(0, 40)}"`;
  return { name, labels, value };
}

/** Special values are case-insensitive, as Prometheus reads them (prom-client writes "Nan"). */
function parseValue(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return Number.NaN;
  const n = Number(text);
  return text !== '' && !Number.isNaN(n) ? n : null;
}
