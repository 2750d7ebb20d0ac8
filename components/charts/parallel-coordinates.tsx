'use client';

import * as React from 'react';
import type { ParallelAxis, ParallelLine } from '@/lib/charts/runs';
import { cn } from '@/lib/utils';

const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))));

/**
 * One vertical axis per parameter (values placed 0..1 by parallelCoordinates), the
 * metric last; each run is a polyline coloured by its own colour. Hover highlights a run.
 */
export function ParallelCoordinates({ axes, lines, colors, height = 280 }: { axes: ParallelAxis[]; lines: ParallelLine[]; colors: Record<string, string>; height?: number }) {
  const [hovered, setHovered] = React.useState<string | null>(null);
  const width = Math.max(360, axes.length * 140);
  const pad = { top: 40, bottom: 24, x: 56 };
  const x = (i: number) => (axes.length === 1 ? width / 2 : pad.x + (i * (width - 2 * pad.x)) / (axes.length - 1));
  const y = (v: number) => pad.top + (1 - v) * (height - pad.top - pad.bottom);
  return (
    <div className="overflow-x-auto">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ minWidth: width * 0.7, maxHeight: height }} role="img" aria-label={`Parallel coordinates of ${axes.map((a) => a.name).join(', ')} for ${lines.length} runs`}>
        {axes.map((a, i) => (
          <g key={a.name}>
            <line x1={x(i)} x2={x(i)} y1={pad.top} y2={height - pad.bottom} stroke="var(--color-border)" strokeWidth={i === axes.length - 1 ? 2 : 1} />
            <text x={x(i)} y={14} textAnchor="middle" fontSize={12} fontWeight={i === axes.length - 1 ? 600 : 500} fill="var(--color-foreground)">
              {a.name}
              {a.log ? ' (log)' : ''}
            </text>
            <text x={x(i)} y={pad.top - 8} textAnchor="middle" fontSize={10} fill="var(--color-muted-foreground)">{fmt(a.max)}</text>
            <text x={x(i)} y={height - pad.bottom + 14} textAnchor="middle" fontSize={10} fill="var(--color-muted-foreground)">{fmt(a.min)}</text>
          </g>
        ))}
        {lines.map((l) => {
          const pts = l.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`));
          const segments = pts.reduce<string[][]>((acc, p) => {
            if (p === null) acc.push([]);
            else acc[acc.length - 1]!.push(p);
            return acc;
          }, [[]]);
          const dim = hovered !== null && hovered !== l.id;
          return (
            <g key={l.id} onMouseEnter={() => setHovered(l.id)} onMouseLeave={() => setHovered(null)} className={cn('transition-opacity', dim && 'opacity-20')}>
              <title>{`${l.label}: ${l.metric === null ? 'no result' : l.metric.toFixed(4)}`}</title>
              {segments.filter((s) => s.length > 1).map((s, i) => (
                <polyline key={i} points={s.join(' ')} fill="none" stroke={colors[l.id] ?? 'var(--color-primary)'} strokeWidth={hovered === l.id ? 3 : 2} strokeLinejoin="round" />
              ))}
              {l.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={colors[l.id] ?? 'var(--color-primary)'} />))}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
