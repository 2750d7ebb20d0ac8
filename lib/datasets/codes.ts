/**
 * The code sets the row browser filters on, copied from server/datasets/schema.ts
 * (server-only) so client components can offer them. A unit test keeps the copies equal.
 */
export const STORE_REGIONS = ['E01', 'E02', 'E03', 'N01', 'N02', 'N03', 'S01', 'S02', 'S03', 'W01', 'W02', 'W03'] as const;
export const BASKET_TYPES = ['Full Shop', 'Top Up', 'Small Shop', 'XX'] as const;
export const BASKET_LABELS = ['LA', 'MM', 'UM', 'XX'] as const;
export type BasketLabel = (typeof BASKET_LABELS)[number];

/** Dataset names: what the server accepts (server/services/datasets/schemas.ts). */
export const DATASET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const DATASET_NAME_MAX = 64;
export const RESERVED_DATASET_NAMES = ['imports', 'versions'] as const;

/** File names the import API accepts. */
export const IMPORT_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*\.csv(\.gz)?$/i;
export const MAX_IMPORT_BYTES = 20 * 1024 ** 3;
