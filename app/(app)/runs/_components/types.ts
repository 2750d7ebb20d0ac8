import type { ParamSpec } from '@/ml/estimators';
import type { RunDetail, RunSummary } from '@/server/services/runs/read-runs';

/** What JSON makes of a server type: dates arrive as ISO strings. */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export type RunRow = Wire<RunSummary>;
export type RunView = Wire<RunDetail>;
export type RunList = { runs: RunRow[]; total: number; page: number; pageSize: number };
export type Curves = Record<string, { step: number; value: number }[]>;
export type LogLine = { id: string; at: string; level: string; message: string };

/** An algorithm's form schema as the client sees it (no constructors). */
export type AlgorithmOption = { algorithm: string; label: string; summary: string; params: ParamSpec[] };
export type DatasetOption = { name: string; versions: { id: string; version: number | null; label: string }[] };
