import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Db = PrismaClient;
/** A Prisma client or an interactive transaction: what services write through. */
export type DbTx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function createPrismaClient(databaseUrl: string, applicationName = 'pricesense:web'): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, application_name: applicationName, max: 10 });
  return new PrismaClient({ adapter });
}

export * from './generated/prisma/client';
