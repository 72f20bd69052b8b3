import { describe, expect, it } from 'vitest';
import { databaseUnavailableReason } from './database-unavailable';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('databaseUnavailableReason', () => {
  it.each([
    [coded('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED'), 'connect ECONNREFUSED 10.0.0.5:5432'],
    [
      coded('terminating connection due to administrator command', '57P01'),
      'terminating connection due to administrator command',
    ],
    [coded('the database system is starting up', '57P03'), 'the database system is starting up'],
    [coded('sorry, too many clients already', '53300'), 'sorry, too many clients already'],
    [coded('connection failure', '08006'), 'connection failure'],
    [new Error('Connection terminated unexpectedly'), 'Connection terminated unexpectedly'],
    [new Error('timeout exceeded when trying to connect'), 'timeout exceeded when trying to connect'],
    [coded('unable to open database file', 'SQLITE_CANTOPEN'), 'unable to open database file'],
    [coded('disk I/O error', 'SQLITE_IOERR_SHORT_READ'), 'disk I/O error'],
    [
      new AggregateError([coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''),
      'connect ECONNREFUSED ::1:5432',
    ],
    [new Error('query failed', { cause: coded('read ECONNRESET', 'ECONNRESET') }), 'read ECONNRESET'],
  ])('says the database is unreachable for %s', (error, reason) => {
    expect(databaseUnavailableReason(error)).toBe(reason);
  });

  it.each([
    coded('duplicate key value violates unique constraint', '23505'),
    coded('syntax error at or near "SELEC"', '42601'),
    coded('database is locked', 'SQLITE_BUSY'),
    new TypeError('x is undefined'),
    'a string',
    null,
  ])('leaves %s to the other handlers', (error) => {
    expect(databaseUnavailableReason(error)).toBeNull();
  });
});
