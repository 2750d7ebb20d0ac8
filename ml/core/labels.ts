/** The classes a basket is predicted into. XX (unknown) baskets are neither trained nor scored. */
export const LABELS = ['LA', 'MM', 'UM'] as const;
export type Label = (typeof LABELS)[number];
export const NUM_CLASSES = LABELS.length;

export function labelIndex(label: string | null | undefined): number {
  return label === 'LA' ? 0 : label === 'MM' ? 1 : label === 'UM' ? 2 : -1;
}
