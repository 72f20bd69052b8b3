/** A parse worker whose parser throws on every file (not a `FileParseError`): `worker-parser.test.ts`. */
import { serveTasks } from '../../../platform/worker-pool/serve-tasks';
import type { ParseTask, ParseTaskResult } from '../parse/parse-task';

serveTasks<ParseTask, ParseTaskResult>(async (task) => {
  throw new RangeError(`The parser broke on ${task.filename}.`);
});
