/**
 * The synthetic "world" a seed determines: a product catalogue (hierarchy tree,
 * price-sensitivity tag, price, popularity, week of introduction), stores and
 * customers. Sizes and mixes are calibrated to the real files
 * (../shared/data/dunnhumby/README.md); baskets are drawn from it in generate.ts.
 */
import { CODE_SETS } from '../schema';
import { AliasTable, Rng, shuffledCategories, shuffleInPlace, zipfWeights } from './random';

/** Product tags, indexed like LABELS in schema.ts. */
export const TAG_LA = 0;
export const TAG_MM = 1;
export const TAG_UM = 2;
export const TAG_NAMES = ['LA', 'MM', 'UM'] as const;

export const WORLD_SIZES = {
  products: 5000,
  classes: 250, // PROD_CODE_10
  departments: 90, // PROD_CODE_20
  groups: 31, // PROD_CODE_30
  divisions: 9, // PROD_CODE_40
} as const;

/** Products per tag in the real catalogue: LA 683, MM 3668, UM 642 of 4,993. */
const TAG_PRODUCT_SHARES = [0.137, 0.734, 0.129];
/** Popularity by random rank; fits the real top-50/500/2500 row shares (19%/47%/84%). */
const ZIPF_EXPONENT = 0.8;
const ZIPF_OFFSET = 8;
/** Share of products on sale from the first week; the rest arrive uniformly later. */
const LAUNCHED_AT_START = 0.85;
/** Unit price: lognormal around £1.05, tag multipliers kept weak (UM a bit pricier). */
const PRICE_MEDIAN = 1.12;
const PRICE_SIGMA = 0.66;
const TAG_PRICE_FACTOR = [0.92, 1.0, 1.08];

/** Stores per format and per region, exactly as in the real files (761 stores). */
const STORE_FORMAT_COUNTS = { LS: 330, MS: 236, SS: 167, XLS: 28 } as const;
/** Mean baskets per store by format in the real files; per-store spread is lognormal. */
const STORE_FORMAT_TRAFFIC = { LS: 690, MS: 417, SS: 230, XLS: 1000 } as const;
const STORE_REGION_COUNTS = [60, 61, 57, 63, 59, 76, 62, 77, 55, 64, 73, 54]; // E01…W03

/** Customers per seg_1 (AZ, BG, CT, DY) and per seg_2 (AT, BU, CZ, DI, EQ, FN, blank) in the real files. */
const CUSTOMERS_PER_SEG_1 = [1166, 1270, 1849, 577];
const SEG_2_CUSTOMER_WEIGHTS = [623, 2174, 501, 551, 164, 343, 506];
/** Baskets per customer are heavy-tailed (real: median 33, mean 64, max 739). */
const CUSTOMER_ACTIVITY_SIGMA = 1.2;

export interface Catalogue {
  count: number;
  codes: string[];
  /** "PRD…,CL…,DEP…,G…,D…": the five product columns as written to the CSV. */
  columns: string[];
  tag: Uint8Array;
  priceCents: Int32Array;
  popularity: Float64Array;
  /** Week index (0 = first week of the file) from which the product is on sale. */
  introWeek: Int32Array;
  classOf: Int32Array;
  /** Parent links of the tree: class → department → group → division. */
  departmentOfClass: Int32Array;
  groupOfDepartment: Int32Array;
  divisionOfGroup: Int32Array;
}

export interface Stores {
  count: number;
  /** "STORE…,LS,E02": the three store columns as written to the CSV. */
  columns: string[];
  traffic: AliasTable;
}

export interface Customers {
  count: number;
  /** "CUST…,BG,BU" (blank seg_2 written as ""). */
  columns: string[];
  seg1: Uint8Array;
  homeStore: Int32Array;
  /** Per seg_1 (AZ, BG, CT, DY): customer indices and an activity-weighted sampler over them. */
  bySeg1: { members: Int32Array; sampler: AliasTable }[];
}

export interface World {
  seed: number;
  weeks: number;
  products: Catalogue;
  stores: Stores;
  customers: Customers;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Deal `children` items to `parents` so that each parent gets at least one and
 * the rest follow lognormal weights (a skewed tree like the real one). Returns
 * the parent of each child; children of one parent are contiguous, so numbering
 * codes in child order reads like the real hierarchy (CL00001 → DEP00001 → …).
 */
function dealChildren(children: number, parents: number, rng: Rng, sigma: number): Int32Array {
  const counts = new Array<number>(parents).fill(1);
  const weights = Array.from({ length: parents }, () => rng.lognormal(0, sigma));
  const sampler = new AliasTable(weights);
  for (let i = parents; i < children; i++) counts[sampler.sample(rng)]! += 1;
  const parentOf = new Int32Array(children);
  let k = 0;
  counts.forEach((count, parent) => {
    for (let j = 0; j < count; j++) parentOf[k++] = parent;
  });
  return parentOf;
}

function buildCatalogue(rng: Rng, weeks: number): Catalogue {
  const { products: n, classes, departments, groups, divisions } = WORLD_SIZES;
  const divisionOfGroup = dealChildren(groups, divisions, rng, 0.5);
  const groupOfDepartment = dealChildren(departments, groups, rng, 0.5);
  const departmentOfClass = dealChildren(classes, departments, rng, 0.6);
  // Product codes are not ordered by class in the real files: deal, then shuffle.
  const classOf = dealChildren(n, classes, rng, 1.0);
  shuffleInPlace(classOf, rng);

  const tagCounts = [Math.round(n * TAG_PRODUCT_SHARES[0]!), 0, Math.round(n * TAG_PRODUCT_SHARES[2]!)];
  tagCounts[1] = n - tagCounts[0]! - tagCounts[2]!;
  const tags = shuffledCategories(tagCounts, rng);

  const rankWeights = zipfWeights(n, ZIPF_EXPONENT, ZIPF_OFFSET);
  const ranks = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(ranks, rng);

  const codes: string[] = [];
  const columns: string[] = [];
  const tag = new Uint8Array(n);
  const priceCents = new Int32Array(n);
  const popularity = new Float64Array(n);
  const introWeek = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const cl = classOf[p]!;
    const dep = departmentOfClass[cl]!;
    const g = groupOfDepartment[dep]!;
    const d = divisionOfGroup[g]!;
    const code = `PRD${pad(900001 + p, 7)}`;
    codes.push(code);
    columns.push(`${code},CL${pad(cl + 1, 5)},DEP${pad(dep + 1, 5)},G${pad(g + 1, 5)},D${pad(d + 1, 5)}`);
    tag[p] = tags[p]!;
    priceCents[p] = Math.max(5, Math.round(100 * PRICE_MEDIAN * TAG_PRICE_FACTOR[tag[p]!]! * rng.lognormal(0, PRICE_SIGMA)));
    popularity[p] = rankWeights[ranks[p]!]!;
    introWeek[p] = weeks > 1 && !rng.chance(LAUNCHED_AT_START) ? rng.intBetween(1, weeks - 1) : 0;
  }
  return { count: n, codes, columns, tag, priceCents, popularity, introWeek, classOf, departmentOfClass, groupOfDepartment, divisionOfGroup };
}

function buildStores(rng: Rng): Stores {
  const formats = Object.keys(STORE_FORMAT_COUNTS) as (keyof typeof STORE_FORMAT_COUNTS)[];
  const formatOf = shuffledCategories(formats.map((f) => STORE_FORMAT_COUNTS[f]), rng);
  const regionOf = shuffledCategories(STORE_REGION_COUNTS, rng);
  const count = formatOf.length;
  const columns: string[] = [];
  const weights = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const format = formats[formatOf[s]!]!;
    columns.push(`STORE${pad(s + 1, 5)},${format},${CODE_SETS.STORE_REGION[regionOf[s]!]}`);
    weights[s] = STORE_FORMAT_TRAFFIC[format] * rng.lognormal(0, 0.5);
  }
  return { count, columns, traffic: new AliasTable(weights) };
}

function buildCustomers(rng: Rng, stores: Stores): Customers {
  // Customer numbers are shuffled so that a code says nothing about the segment.
  const seg1 = shuffledCategories(CUSTOMERS_PER_SEG_1, rng);
  const count = seg1.length;
  const seg2Sampler = new AliasTable(SEG_2_CUSTOMER_WEIGHTS);
  const columns: string[] = [];
  const homeStore = new Int32Array(count);
  const activity = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const seg2 = CODE_SETS.seg_2[seg2Sampler.sample(rng)] ?? '""';
    columns.push(`CUST${pad(c + 1, 10)},${CODE_SETS.seg_1[seg1[c]!]},${seg2}`);
    homeStore[c] = stores.traffic.sample(rng);
    activity[c] = rng.lognormal(0, CUSTOMER_ACTIVITY_SIGMA);
  }
  const bySeg1 = CODE_SETS.seg_1.map((_, s) => {
    const members = Int32Array.from({ length: count }, (_, c) => c).filter((c) => seg1[c] === s);
    return { members, sampler: new AliasTable(Array.from(members, (c) => activity[c]!)) };
  });
  return { count, columns, seg1: Uint8Array.from(seg1), homeStore, bySeg1 };
}

/** The world for a seed and a number of weeks (weeks only moves product launch dates). */
export function buildWorld(seed: number, weeks: number): World {
  const rng = new Rng(seed, 1);
  const products = buildCatalogue(rng, weeks);
  const stores = buildStores(rng);
  const customers = buildCustomers(rng, stores);
  return { seed, weeks, products, stores, customers };
}

/** PROD_CODE → tag name, for tests and analyses that check the signal. */
export function productTags(world: World): Map<string, (typeof TAG_NAMES)[number]> {
  const { codes, tag } = world.products;
  return new Map(codes.map((code, p) => [code, TAG_NAMES[tag[p]!]!]));
}
