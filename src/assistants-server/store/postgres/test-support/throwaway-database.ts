import { randomBytes } from 'node:crypto';
import { connectToServer } from '../server-client';

export interface ThrowawayDatabase {
  /** The new database's URL (the admin URL's server and user). */
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on `adminUrl`'s server, named `<prefix>_<random>`, for a measurement to drop afterwards. */
export async function throwawayDatabase(adminUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = connectToServer(adminUrl, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}
