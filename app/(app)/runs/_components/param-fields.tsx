'use client';

import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ParamSpec } from '@/ml/estimators';

export type ParamDraft = Record<string, string | boolean>;

/** The form's starting values: every parameter at its default (numbers as text, for the inputs). */
export function defaultDraft(params: ParamSpec[]): ParamDraft {
  return Object.fromEntries(params.map((p) => [p.name, typeof p.default === 'boolean' ? p.default : String(p.default)]));
}

/** Typed values for the service; text that is not a number is sent as is, so the server names the field. */
export function draftToParams(params: ParamSpec[], draft: ParamDraft): Record<string, string | number | boolean> {
  return Object.fromEntries(
    params.map((p) => {
      const v = draft[p.name] ?? p.default;
      if (p.type === 'boolean') return [p.name, Boolean(v)];
      if (p.type === 'enum') return [p.name, String(v)];
      const text = String(v).trim();
      return [p.name, text !== '' && Number.isFinite(Number(text)) ? Number(text) : text];
    }),
  );
}

/** Service messages name the parameter ("Parameter maxDepth must be ≤ 32"): pin them to its input. */
export function paramErrors(fields: { field: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    const named = /Parameter (\w+) (.*)$/.exec(f.message) ?? /parameter "(\w+)"/.exec(f.message);
    const dotted = /^(?:params|baseParams|space)\.(\w+)$/.exec(f.field);
    if (named) out[named[1]!] = named[2] ?? f.message;
    else if (dotted) out[dotted[1]!] = f.message;
  }
  return out;
}

export function rangeHint(p: ParamSpec) {
  if (p.type !== 'number' && p.type !== 'integer') return null;
  const range = p.min !== undefined && p.max !== undefined ? `${p.min} – ${p.max}` : null;
  return [range, p.log ? 'log scale' : null].filter(Boolean).join(', ');
}

const GROUPS = [
  { key: 'model', title: 'Model' },
  { key: 'features', title: 'Features' },
] as const;

/** Inputs generated from the algorithm's parameter specs, in two fieldsets. */
export function ParamFields({ params, draft, onChange, errors }: { params: ParamSpec[]; draft: ParamDraft; onChange: (name: string, value: string | boolean) => void; errors: Record<string, string> }) {
  return (
    <div className="grid gap-6">
      {GROUPS.map((g) => {
        const list = params.filter((p) => p.group === g.key);
        if (!list.length) return null;
        return (
          <fieldset key={g.key} className="grid gap-4">
            <legend className="mb-3 text-sm font-semibold">{g.title}</legend>
            <div className="grid gap-x-4 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
              {list.map((p) => {
                const label = (
                  <span className="font-mono text-[13px]">{p.name}</span>
                );
                if (p.type === 'boolean') {
                  return (
                    <div key={p.name} className="grid content-start gap-1">
                      <label className="flex items-center gap-2 text-sm font-medium">
                        <input type="checkbox" name={p.name} checked={Boolean(draft[p.name])} onChange={(e) => onChange(p.name, e.target.checked)} className="size-4 accent-[var(--color-primary)]" aria-describedby={`param-${p.name}-help`} />
                        {label}
                      </label>
                      <p id={`param-${p.name}-help`} className="text-xs text-muted-foreground">{p.help}</p>
                      {errors[p.name] ? <p className="text-xs font-medium text-danger-soft-foreground">{errors[p.name]}</p> : null}
                    </div>
                  );
                }
                const hint = [p.help, rangeHint(p) ? `(${rangeHint(p)})` : null, `Default ${String(p.default)}.`].filter(Boolean).join(' ');
                return (
                  <Field key={p.name} label={label} hint={hint} error={errors[p.name]}>
                    {p.type === 'enum' ? (
                      <Select name={p.name} value={String(draft[p.name])} onChange={(e) => onChange(p.name, e.target.value)}>
                        {p.options!.map((o) => (
                          <option key={o} value={o}>{o}</option>
                        ))}
                      </Select>
                    ) : (
                      <Input
                        name={p.name}
                        inputMode={p.type === 'integer' ? 'numeric' : 'decimal'}
                        value={String(draft[p.name] ?? '')}
                        onChange={(e) => onChange(p.name, e.target.value)}
                        className="font-mono tabular-nums"
                      />
                    )}
                  </Field>
                );
              })}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
