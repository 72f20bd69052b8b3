/**
 * The module of a parse worker (`WorkerParser`): parses a file's bytes, and cuts its text into chunks when asked, in
 * a thread of its own. A file's own problems come back as a refusal (`FileParseError`'s code and message); anything
 * else the worker throws fails the task (the pool reports it).
 */
import { serveTasks } from '../../../platform/worker-pool/serve-tasks';
import { chunkText } from '../chunking';
import { parseFile } from './parse-file';
import { FileParseError } from './parse-errors';
import type { ParseTask, ParseTaskResult } from './parse-task';

serveTasks<ParseTask, ParseTaskResult>(async (task) => {
  try {
    const { text, ...parsed } = await parseFile(task.bytes, task.filename, {
      mimeType: task.mimeType,
      limits: task.limits,
    });
    if (!task.chunking) return { result: { ok: true, parsed, text, chunks: null } };
    return {
      result: { ok: true, parsed, text: null, chunks: chunkText(text, task.chunking, task.maxTokens) },
    };
  } catch (error) {
    if (error instanceof FileParseError) {
      return { result: { ok: false, code: error.code, message: error.message } };
    }
    throw error;
  }
});
