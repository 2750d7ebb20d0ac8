/**
 * The basket labels' names and colours, defined once for every chart, legend and
 * badge. Colours are theme tokens (app/globals.css), so they follow dark mode.
 */
export const LABEL_ORDER = ['LA', 'MM', 'UM', 'XX'] as const;
export type LabelCode = (typeof LABEL_ORDER)[number];

export type LabelStyle = {
  name: string;
  description: string;
  /** For SVG fills and strokes. */
  color: string;
  /** Tailwind background class for legend swatches and dots. */
  swatch: string;
  /** Text drawn on top of `color` (amber needs dark text in both themes). */
  onColor: string;
};

export const LABEL_STYLES: Record<LabelCode, LabelStyle> = {
  LA: { name: 'Price sensitive', description: 'less affluent', color: 'var(--color-warning)', swatch: 'bg-warning', onColor: '#1c1917' },
  MM: { name: 'Mid market', description: 'mid market', color: 'var(--color-primary)', swatch: 'bg-primary', onColor: '#ffffff' },
  UM: { name: 'Up market', description: 'up market', color: 'var(--color-success)', swatch: 'bg-success', onColor: '#ffffff' },
  XX: { name: 'Unknown', description: 'no label; excluded from training', color: 'var(--color-muted-foreground)', swatch: 'bg-muted-foreground', onColor: '#ffffff' },
};

export function isLabelCode(value: string): value is LabelCode {
  return (LABEL_ORDER as readonly string[]).includes(value);
}

/** Colour for any label, known or not (unknown codes get the neutral grey). */
export function labelColor(label: string): string {
  return isLabelCode(label) ? LABEL_STYLES[label].color : LABEL_STYLES.XX.color;
}

/** Single-series charts (histograms, hours) use the product's accent. */
export const SERIES_COLOR = 'var(--color-primary)';
export const GRID_COLOR = 'var(--color-border)';
export const AXIS_COLOR = 'var(--color-muted-foreground)';
