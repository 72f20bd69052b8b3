import { MAX_FILE_BYTES } from '../../../assistants-server/files/file-bytes';
import {
  DEFAULT_PROXY_MAX_ANSWER_BYTES,
  DEFAULT_PROXY_MAX_FRAME_BYTES,
  DEFAULT_PROXY_MAX_THREADS,
  type ProxyConfig,
} from '../../config';

/** A proxy configuration as `loadConfig` builds it for an OpenAI-style upstream at `baseUrl`, with overrides. */
export function testProxyConfig(baseUrl: URL, overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  return {
    baseUrl,
    apiKey: 'sk-test',
    organization: null,
    project: null,
    timeoutMs: 5_000,
    keyHeader: 'authorization',
    apiVersion: null,
    maxFrameBytes: DEFAULT_PROXY_MAX_FRAME_BYTES,
    discovery: true,
    maxWatchedThreads: DEFAULT_PROXY_MAX_THREADS,
    maxFileBytes: MAX_FILE_BYTES,
    maxAnswerBytes: DEFAULT_PROXY_MAX_ANSWER_BYTES,
    ...overrides,
  };
}
