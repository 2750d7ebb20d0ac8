import type { DatasetProfile } from '@/lib/datasets/types';
import { isLabelCode, LABEL_ORDER, type LabelCode } from './labels';

export type LabelShare = { label: LabelCode; count: number; share: number };
/** One bar of a 100% stacked chart: `unit` is "Rows" or "Baskets"; each label key holds its share (0..1). */
export type LabelShareBar = { unit: 'Rows' | 'Baskets'; total: number } & Record<LabelCode, number>;

export type LabelShares = {
  bars: LabelShareBar[];
  /** Per label, in LABEL_ORDER, with counts and shares per row and per basket (the legend table). */
  legend: { label: LabelCode; rows: LabelShare; baskets: LabelShare }[];
  /** Share of baskets with a known label (LA/MM/UM): what training can use. */
  labelledBasketShare: number;
};

function share(count: number, total: number) {
  return total > 0 ? count / total : 0;
}

/**
 * Label distribution per row and per basket. Every label appears (zero when absent),
 * codes outside LA/MM/UM/XX count as XX, and shares sum to 1 whenever there is data.
 */
export function prepareLabelShares(labels: DatasetProfile['labels']): LabelShares {
  const rows = Object.fromEntries(LABEL_ORDER.map((l) => [l, 0])) as Record<LabelCode, number>;
  const baskets = { ...rows };
  for (const entry of labels) {
    const key = isLabelCode(entry.label) ? entry.label : 'XX';
    rows[key] += Number(entry.rows) || 0;
    baskets[key] += Number(entry.baskets) || 0;
  }
  const totalRows = LABEL_ORDER.reduce((sum, l) => sum + rows[l], 0);
  const totalBaskets = LABEL_ORDER.reduce((sum, l) => sum + baskets[l], 0);
  const bar = (unit: LabelShareBar['unit'], counts: Record<LabelCode, number>, total: number): LabelShareBar =>
    ({ unit, total, ...Object.fromEntries(LABEL_ORDER.map((l) => [l, share(counts[l], total)])) }) as LabelShareBar;
  return {
    bars: [bar('Baskets', baskets, totalBaskets), bar('Rows', rows, totalRows)],
    legend: LABEL_ORDER.map((label) => ({
      label,
      rows: { label, count: rows[label], share: share(rows[label], totalRows) },
      baskets: { label, count: baskets[label], share: share(baskets[label], totalBaskets) },
    })),
    labelledBasketShare: share(totalBaskets - baskets.XX, totalBaskets),
  };
}
