/** What every server action returns: the UI shows `error.message` and marks `error.fields`. */
export type ActionError = { code: string; message: string; fields?: { field: string; message: string }[] };
/** On failure, `values` echoes what was typed (never passwords) so the form can show it again. */
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: ActionError; values?: Record<string, string> };
export type ActionState<T = undefined> = ActionResult<T> | null;

export function fieldError(state: ActionState<unknown> | undefined, field: string): string | undefined {
  if (!state || state.ok) return undefined;
  return state.error.fields?.find((f) => f.field === field)?.message;
}

/** The value to show again in a field after a failed submit. */
export function previousValue(state: ActionState<unknown> | undefined, field: string): string | undefined {
  return state && !state.ok ? state.values?.[field] : undefined;
}
