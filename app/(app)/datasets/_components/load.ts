import 'server-only';
import { cache } from 'react';
import { notFound } from 'next/navigation';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { getDataset, getDatasetVersion } from '@/server/services/datasets/read-datasets';

/** NOT_FOUND from a service becomes the route's not-found page; anything else is a real error. */
async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}

/** Cached per request: the page and its metadata ask for the same record. */
export const loadDataset = cache(async (name: string) => orNotFound(getDataset(await pageContext(), name)));
export const loadVersion = cache(async (id: string) => orNotFound(getDatasetVersion(await pageContext(), id)));

export type LoadedDataset = Awaited<ReturnType<typeof getDataset>>;
export type LoadedVersion = Awaited<ReturnType<typeof getDatasetVersion>>;
export type VersionSummary = LoadedDataset['versions'][number];
