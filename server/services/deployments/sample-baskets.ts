import 'server-only';
import path from 'node:path';
import type { BasketRequest } from '@/ml/data/basket-schema';
import { all, literal, openDuckDb } from '@/server/datasets/duckdb';
import type { ServiceContext } from '../context';
import { localRowsDir } from '../datasets/local-layers';
import os from 'node:os';

export type SampledBasket = { basket: BasketRequest; trueLabel: string | null };

type Line = { BASKET_ID: number; SHOP_WEEK: number; SHOP_HOUR: number; SHOP_WEEKDAY: number; STORE_CODE: string | null; STORE_FORMAT: string | null; STORE_REGION: string | null; BASKET_SIZE: string | null; BASKET_TYPE: string | null; BASKET_DOMINANT_MISSION: string | null; seg_1: string | null; seg_2: string | null; BASKET_PRICE_SENSITIVITY: string | null; PROD_CODE: string; PROD_CODE_10: string | null; PROD_CODE_20: string | null; PROD_CODE_30: string | null; PROD_CODE_40: string | null; QUANTITY: number; SPEND: number };

/**
 * Baskets of a dataset version as the prediction API takes them, with their true
 * label: for the "try it" panel and the traffic replay. A seeded hash picks them,
 * so the same seed gives the same baskets; labelled baskets only.
 */
export async function sampleBaskets(ctx: Pick<ServiceContext, 'adapters'>, version: { id: string; datasetId: string }, opts: { count: number; seed: number }): Promise<SampledBasket[]> {
  const rowsDir = await localRowsDir(ctx.adapters.storage, version.datasetId, version.id, ctx.adapters.workDir ?? os.tmpdir());
  const db = await openDuckDb();
  try {
    const source = `read_parquet(${literal(path.join(rowsDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'STORE_REGION': VARCHAR, 'BASKET_TYPE': VARCHAR})`;
    const rows = await all<Line>(db.connection, `
      with picked as (
        select BASKET_ID from ${source} where BASKET_PRICE_SENSITIVITY in ('LA', 'MM', 'UM')
        group by BASKET_ID order by hash(BASKET_ID::VARCHAR || '/' || ${Math.trunc(opts.seed)}) limit ${Math.max(1, Math.trunc(opts.count))})
      select BASKET_ID::DOUBLE as BASKET_ID, SHOP_WEEK, SHOP_HOUR, SHOP_WEEKDAY, STORE_CODE, STORE_FORMAT, STORE_REGION, BASKET_SIZE, BASKET_TYPE, BASKET_DOMINANT_MISSION,
        seg_1, seg_2, BASKET_PRICE_SENSITIVITY, PROD_CODE, PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, QUANTITY::DOUBLE as QUANTITY, SPEND::DOUBLE as SPEND
      from ${source} t where BASKET_ID in (select BASKET_ID from picked) order by BASKET_ID, PROD_CODE`);
    const byBasket = new Map<number, SampledBasket>();
    for (const r of rows) {
      let entry = byBasket.get(r.BASKET_ID);
      if (!entry) {
        entry = {
          trueLabel: r.BASKET_PRICE_SENSITIVITY,
          basket: {
            basketId: String(r.BASKET_ID), week: r.SHOP_WEEK, hour: r.SHOP_HOUR, weekday: r.SHOP_WEEKDAY, storeCode: r.STORE_CODE, storeFormat: r.STORE_FORMAT, storeRegion: r.STORE_REGION,
            basketSize: r.BASKET_SIZE, basketType: r.BASKET_TYPE, mission: r.BASKET_DOMINANT_MISSION, seg1: r.seg_1, seg2: r.seg_2, lines: [],
          },
        };
        byBasket.set(r.BASKET_ID, entry);
      }
      if (entry.basket.lines.length < 1000) {
        entry.basket.lines.push({ prod: r.PROD_CODE, p10: r.PROD_CODE_10, p20: r.PROD_CODE_20, p30: r.PROD_CODE_30, p40: r.PROD_CODE_40, quantity: Math.max(0, r.QUANTITY), spend: r.SPEND });
      }
    }
    return [...byBasket.values()];
  } finally {
    db.close();
  }
}
