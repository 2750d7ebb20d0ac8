import { ChartColumn } from 'lucide-react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { DistributionChart } from '@/components/charts/distribution-chart';
import { LabelShareChart } from '@/components/charts/label-share-chart';
import { WeeklyVolumeChart } from '@/components/charts/weekly-volume-chart';
import { prepareColumnRows } from '@/lib/charts/column-profile';
import { prepareHistogram, type Histogram } from '@/lib/charts/histogram';
import { prepareHourly } from '@/lib/charts/hourly';
import { prepareLabelShares } from '@/lib/charts/label-shares';
import { prepareWeeklyVolume } from '@/lib/charts/weekly-volume';
import { formatPercent } from '@/lib/datasets/format';
import type { LoadedVersion } from '../../../_components/load';
import { ColumnTable } from './column-table';

function ChartCard({ title, description, children, className }: { title: string; description?: React.ReactNode; children: React.ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <CardHeader>
        <CardTitle as="h3">{title}</CardTitle>
        {description ? <CardDescription className="text-xs">{description}</CardDescription> : null}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

function histogramNote(h: Histogram, what: string) {
  if (!h.medianBin || !h.mode) return undefined;
  return `Median ${what} in ${h.medianBin.label}; most common ${h.mode.label} (${formatPercent(h.mode.share, 0)}).`;
}

export function ProfileTab({ version }: { version: LoadedVersion }) {
  const profile = version.profile;
  if (!profile) {
    return <EmptyState icon={<ChartColumn />} title="No profile" description="Profiles are computed for ready versions only." />;
  }
  const shares = prepareLabelShares(profile.labels);
  const weekly = prepareWeeklyVolume(profile.weekly, 'baskets');
  // Only the summaries travel to the client chart for the other measures, not their points again.
  const summary = ({ mean, peak }: { mean: number; peak: { week: number; value: number } | null }) => ({ mean, peak });
  const summaries = {
    baskets: summary(weekly),
    rows: summary(prepareWeeklyVolume(profile.weekly, 'rows')),
    spend: summary(prepareWeeklyVolume(profile.weekly, 'spend')),
  };
  const spend = prepareHistogram(profile.histograms.spend, '£');
  const quantity = prepareHistogram(profile.histograms.quantity);
  const lines = prepareHistogram(profile.histograms.linesPerBasket);
  const basketSpend = prepareHistogram(profile.histograms.basketSpend, '£');
  const hours = prepareHourly(profile.hours);

  return (
    <div className="grid gap-6">
      <section aria-labelledby="profile-labels" className="grid gap-6 xl:grid-cols-3">
        <h2 id="profile-labels" className="sr-only">Labels and volume</h2>
        <ChartCard title="Label distribution" description={`${formatPercent(shares.labelledBasketShare)} of baskets carry a label a model can learn from (XX is excluded from training).`}>
          <LabelShareChart shares={shares} />
        </ChartCard>
        <ChartCard title="Weekly volume" description="Per shop week. A dashed line marks the weekly mean." className="xl:col-span-2">
          <WeeklyVolumeChart points={weekly.points} missingWeeks={weekly.missingWeeks} summaries={summaries} />
        </ChartCard>
      </section>

      <section aria-labelledby="profile-baskets" className="grid gap-6">
        <h2 id="profile-baskets" className="text-base font-semibold tracking-tight">Baskets</h2>
        <div className="grid gap-6 lg:grid-cols-3">
          <ChartCard title="Spend per basket" description={histogramNote(basketSpend, 'spend')}>
            <DistributionChart bars={basketSpend.bars} unit="baskets" binName="Basket spend" />
          </ChartCard>
          <ChartCard title="Lines per basket" description={histogramNote(lines, 'size')}>
            <DistributionChart bars={lines.bars} unit="baskets" binName="Lines" />
          </ChartCard>
          <ChartCard title="Baskets by hour of day" description={hours.busiest ? `Busiest at ${hours.busiest.label} (${formatPercent(hours.busiest.share, 0)} of baskets).` : undefined}>
            <DistributionChart bars={hours.points.map((p) => ({ label: p.label, count: p.baskets, share: p.share }))} unit="baskets" binName="Hour" />
          </ChartCard>
        </div>
      </section>

      <section aria-labelledby="profile-lines" className="grid gap-6">
        <h2 id="profile-lines" className="text-base font-semibold tracking-tight">Lines</h2>
        <div className="grid gap-6 lg:grid-cols-2">
          <ChartCard title="Spend per line" description={histogramNote(spend, 'spend')}>
            <DistributionChart bars={spend.bars} unit="rows" binName="Spend" />
          </ChartCard>
          <ChartCard title="Quantity per line" description={histogramNote(quantity, 'quantity')}>
            <DistributionChart bars={quantity.bars} unit="rows" binName="Quantity" />
          </ChartCard>
        </div>
      </section>

      <section aria-labelledby="profile-columns">
        <Card className="pb-0">
          <CardHeader>
            <CardTitle id="profile-columns">Columns</CardTitle>
            <CardDescription>Missing values, distinct counts (≈ approximate), and statistics or the most frequent values of all 22 columns.</CardDescription>
          </CardHeader>
          <ColumnTable rows={prepareColumnRows(profile.columns, profile.counts.rows)} dateRange={{ from: profile.counts.firstDate, to: profile.counts.lastDate }} />
        </Card>
      </section>
    </div>
  );
}
