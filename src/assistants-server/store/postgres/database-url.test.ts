import { describe, expect, it } from 'vitest';
import { databaseLocation, parseDatabaseUrl, printableDatabaseUrl } from './database-url';

describe('printableDatabaseUrl', () => {
  it('shows the host, port and database of a URL with a password, and neither the user nor the password', () => {
    const printed = printableDatabaseUrl(
      'postgres://runboard:s3cret-pw@db.internal:6543/runboard?sslmode=require',
    );
    expect(printed).toBe('db.internal:6543/runboard');
    expect(printed).not.toContain('s3cret-pw');
    expect(printed).not.toContain('runboard:');
  });

  it('shows a URL without a password or a port with the default port', () => {
    expect(printableDatabaseUrl('postgresql://db/team')).toBe('db:5432/team');
    expect(printableDatabaseUrl('postgres://runboard@[::1]/team')).toBe('[::1]:5432/team');
  });

  it("shows a unix socket's folder, given percent-encoded as the host or as a host parameter", () => {
    expect(printableDatabaseUrl('postgres://runboard:pw@%2Fvar%2Frun%2Fpostgresql/runboard')).toBe(
      '/var/run/postgresql:5432/runboard',
    );
    expect(printableDatabaseUrl('postgres:///runboard?host=/tmp&port=55305')).toBe('/tmp:55305/runboard');
  });

  it('says a malformed URL is not one, without repeating it', () => {
    for (const raw of [
      'db.internal:5432/runboard',
      'mysql://u:s3cret-pw@db/runboard',
      'postgres://u:s3cret-pw@db:port/x',
      'postgres://%zz/db',
      '',
    ]) {
      expect(printableDatabaseUrl(raw)).toBe('(not a postgres:// URL)');
      expect(databaseLocation(raw)).toBeNull();
    }
  });

  it("is the label of a checked RUNBOARD_DATABASE_URL and the health answer's location", () => {
    const raw = 'postgres://u:pw@%2Fvar%2Frun%2Fpostgresql/team';
    expect(parseDatabaseUrl(raw).label).toBe(printableDatabaseUrl(raw));
    expect(databaseLocation(raw)).toEqual({ host: '/var/run/postgresql', port: 5432, database: 'team' });
  });
});
