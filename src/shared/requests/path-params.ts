import * as z from 'zod';
import { fileId } from './file-requests';
import { idOf } from './request-fields';

/** The ids a `/v1` path can hold, each with its object's prefix; checked in this order (a thread before its run). */
export const pathParams = z.object({
  assistant_id: idOf('asst').optional(),
  thread_id: idOf('thread').optional(),
  message_id: idOf('msg').optional(),
  run_id: idOf('run').optional(),
  step_id: idOf('step').optional(),
  vector_store_id: idOf('vs').optional(),
  batch_id: idOf('vsfb').optional(),
  file_id: fileId.optional(),
});
