import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_AUDIT_DB_PATH, DEFAULT_DB_PATH, DEFAULT_PORT, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the emulator on loopback', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      dbPath: DEFAULT_DB_PATH,
      auditDbPath: DEFAULT_AUDIT_DB_PATH,
      timeScale: 1,
      proxy: null,
      token: null,
      seedDemo: true,
      logLevel: 'info',
      model: null,
    });
  });

  it('reads the health check bound and the change log retention, with their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      healthTimeoutMs: 2_000,
      changeLog: { maxRows: 100_000, maxAgeMs: 24 * 3_600_000 },
    });
    expect(
      loadConfig({
        RUNBOARD_HEALTH_TIMEOUT_MS: '500',
        RUNBOARD_CHANGE_LOG_ROWS: '5000',
        RUNBOARD_CHANGE_LOG_HOURS: '2',
      }),
    ).toMatchObject({ healthTimeoutMs: 500, changeLog: { maxRows: 5_000, maxAgeMs: 2 * 3_600_000 } });
    expect(() => loadConfig({ RUNBOARD_CHANGE_LOG_ROWS: '10' })).toThrow(
      new ConfigError("RUNBOARD_CHANGE_LOG_ROWS must be an integer from 1000 to 100000000, got '10'."),
    );
  });

  it('reads file search from RUNBOARD_EMBEDDING_MODEL and RUNBOARD_FILE_SEARCH_*, the model only with an endpoint', () => {
    expect(loadConfig({}).fileSearch).toEqual({ embeddingModel: null, concurrency: 2, maxQueued: 1000 });
    expect(
      loadConfig({
        RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1',
        RUNBOARD_EMBEDDING_MODEL: 'nomic-embed-text',
        RUNBOARD_FILE_SEARCH_CONCURRENCY: '4',
        RUNBOARD_FILE_SEARCH_MAX_QUEUED: '50',
      }).fileSearch,
    ).toEqual({ embeddingModel: 'nomic-embed-text', concurrency: 4, maxQueued: 50 });
    expect(() => loadConfig({ RUNBOARD_EMBEDDING_MODEL: 'nomic-embed-text' })).toThrow(ConfigError);
    expect(() => loadConfig({ RUNBOARD_FILE_SEARCH_CONCURRENCY: '0' })).toThrow(ConfigError);
  });

  it('reads RUNBOARD_DATABASE_URL: kept whole to connect, shown as host:port/database, never its password', () => {
    expect(loadConfig({}).database).toBeNull();
    const url = 'postgres://runboard:s3cret-pw@db.internal:6543/runboard?sslmode=require';
    expect(loadConfig({ RUNBOARD_DATABASE_URL: ` ${url} ` }).database).toEqual({
      connectionString: url,
      label: 'db.internal:6543/runboard',
    });
    expect(loadConfig({ RUNBOARD_DATABASE_URL: 'postgresql://db/team' }).database?.label).toBe(
      'db:5432/team',
    );
    for (const [value, message] of [
      ['mysql://u:s3cret-pw@db/runboard', "must start with postgres:// or postgresql://, got 'mysql://…'"],
      ['postgres://u:s3cret-pw@db', 'must name one database after the host'],
      ['postgres://u:s3cret-pw@db/a/b', 'must name one database after the host'],
      ['not a url s3cret-pw', 'must be a URL such as postgres://'],
    ]) {
      let error: unknown;
      try {
        loadConfig({ RUNBOARD_DATABASE_URL: value });
      } catch (thrown) {
        error = thrown;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`RUNBOARD_DATABASE_URL ${message}`);
      expect((error as Error).message).not.toContain('s3cret-pw');
    }
    expect(() =>
      loadConfig({ RUNBOARD_DATABASE_URL: url, OPENAI_BASE_URL: 'https://api.openai.com/v1' }),
    ).toThrow(ConfigError);
  });

  it('reads the model executor from RUNBOARD_MODEL_*', () => {
    const config = loadConfig({
      RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1',
      RUNBOARD_MODEL_API_KEY: 'sk-model',
      RUNBOARD_MODEL_MAP: 'gpt-4o=llama3.2, gpt-4o-mini=qwen2.5:7b ,*=llama3.2',
      RUNBOARD_MODEL_CONCURRENCY: '16',
      RUNBOARD_MODEL_MAX_ANSWER_BYTES: '65536',
    });
    expect(config.model?.baseUrl.href).toBe('http://127.0.0.1:11434/v1/');
    expect(config.model).toMatchObject({
      apiKey: 'sk-model',
      modelMap: { 'gpt-4o': 'llama3.2', 'gpt-4o-mini': 'qwen2.5:7b', '*': 'llama3.2' },
      concurrency: 16,
      timeoutMs: 60_000,
      maxRetries: 3,
      limits: {
        maxAnswerBytes: 65_536,
        maxToolCalls: 128,
        maxBodyBytes: 4 * 1024 * 1024,
        maxLineBytes: 1024 * 1024,
      },
    });
    expect(config.proxy).toBeNull();
  });

  it('reads proxy mode from OPENAI_BASE_URL and keeps the key on the server side config', () => {
    const config = loadConfig({
      OPENAI_BASE_URL: 'https://llm.example.com/v1',
      OPENAI_API_KEY: 'sk-secret',
      OPENAI_ORG_ID: 'org_1',
      OPENAI_PROJECT_ID: 'proj_1',
    });
    expect(config.proxy?.baseUrl.href).toBe('https://llm.example.com/v1/');
    expect(config.proxy).toMatchObject({
      apiKey: 'sk-secret',
      organization: 'org_1',
      project: 'proj_1',
      timeoutMs: 30_000,
    });
  });

  it('reads the proxy bounds and discovery settings, with their defaults', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'https://llm.example.com/v1' }).proxy).toMatchObject({
      keyHeader: 'authorization',
      apiVersion: null,
      maxFrameBytes: 4 * 1024 * 1024,
      discovery: true,
      maxWatchedThreads: 1_000,
    });
    expect(
      loadConfig({
        OPENAI_BASE_URL: 'https://llm.example.com/v1',
        RUNBOARD_PROXY_MAX_FRAME_BYTES: '1048576',
        RUNBOARD_PROXY_DISCOVERY: 'off',
        RUNBOARD_PROXY_MAX_THREADS: '50',
      }).proxy,
    ).toMatchObject({ maxFrameBytes: 1_048_576, discovery: false, maxWatchedThreads: 50 });
  });

  it("sends the key in Azure OpenAI's api-key header with its api-version, and requires the version there", () => {
    expect(
      loadConfig({
        OPENAI_BASE_URL: 'https://contoso.openai.azure.com/openai',
        OPENAI_API_KEY: 'azure-key',
        OPENAI_API_VERSION: '2024-05-01-preview',
      }).proxy,
    ).toMatchObject({ keyHeader: 'api-key', apiVersion: '2024-05-01-preview' });
    expect(
      loadConfig({
        OPENAI_BASE_URL: 'https://gateway.example.com/openai',
        RUNBOARD_UPSTREAM_FLAVOR: 'azure',
        OPENAI_API_VERSION: '2024-05-01-preview',
      }).proxy?.keyHeader,
    ).toBe('api-key');
    expect(() => loadConfig({ OPENAI_BASE_URL: 'https://contoso.openai.azure.com/openai' })).toThrow(
      'Azure OpenAI (contoso.openai.azure.com) needs OPENAI_API_VERSION',
    );
  });

  it('keeps the audit trail in memory when the emulator is, unless RUNBOARD_AUDIT_DB says otherwise', () => {
    expect(loadConfig({ RUNBOARD_DB: ':memory:' }).auditDbPath).toBe(':memory:');
    expect(loadConfig({ RUNBOARD_DB: ':memory:', RUNBOARD_AUDIT_DB: '/tmp/a.sqlite' }).auditDbPath).toBe(
      '/tmp/a.sqlite',
    );
  });

  it('reads the lease and the look at other instances, with their defaults', () => {
    expect(loadConfig({}).instances).toEqual({ leaseMs: 15_000, pollMs: 1_000 });
    expect(loadConfig({ RUNBOARD_LEASE_MS: '5000', RUNBOARD_INSTANCE_POLL_MS: '200' }).instances).toEqual({
      leaseMs: 5_000,
      pollMs: 200,
    });
  });

  it('splits list variables and ignores blanks', () => {
    const config = loadConfig({
      RUNBOARD_ALLOWED_HOSTS: ' runboard.lan, ,box.local ',
      RUNBOARD_SEED: 'none',
    });
    expect(config.allowedHosts).toEqual(['runboard.lan', 'box.local']);
    expect(config.seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, "PORT must be an integer from 0 to 65535, got 'eighty'."],
    [{ PORT: '70000' }, "PORT must be an integer from 0 to 65535, got '70000'."],
    [{ RUNBOARD_TIME_SCALE: '0' }, "RUNBOARD_TIME_SCALE must be a positive number, got '0'."],
    [{ OPENAI_BASE_URL: 'not a url' }, "OPENAI_BASE_URL must be an absolute http(s) URL, got 'not a url'."],
    [{ OPENAI_BASE_URL: 'ftp://x.example/v1' }, "OPENAI_BASE_URL must use http or https, got 'ftp:'."],
    [
      { OPENAI_BASE_URL: 'https://x.example/v1', RUNBOARD_PROXY_DISCOVERY: 'maybe' },
      "RUNBOARD_PROXY_DISCOVERY must be on or off, got 'maybe'.",
    ],
    [
      { OPENAI_BASE_URL: 'https://x.example/v1', RUNBOARD_PROXY_MAX_FRAME_BYTES: '10' },
      "RUNBOARD_PROXY_MAX_FRAME_BYTES must be an integer from 65536 to 268435456, got '10'.",
    ],
    [{ RUNBOARD_LEASE_MS: '500' }, "RUNBOARD_LEASE_MS must be an integer from 1000 to 300000, got '500'."],
    [
      { RUNBOARD_LEASE_MS: '2000', RUNBOARD_INSTANCE_POLL_MS: '2000' },
      'RUNBOARD_INSTANCE_POLL_MS (2000) must be shorter than RUNBOARD_LEASE_MS (2000).',
    ],
    [{ LOG_LEVEL: 'loud' }, "LOG_LEVEL must be one of debug, info, warn, error, silent; got 'loud'."],
    [
      { RUNBOARD_MODEL_BASE_URL: 'http://key:secret@llm.example/v1' },
      'RUNBOARD_MODEL_BASE_URL must not carry credentials: put the key in RUNBOARD_MODEL_API_KEY.',
    ],
    [
      { RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1', RUNBOARD_MODEL_MAP: 'llama3.2' },
      "RUNBOARD_MODEL_MAP takes comma-separated name=upstream pairs (e.g. gpt-4o=llama3.2,*=llama3.2), got 'llama3.2'.",
    ],
    [
      { RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1', RUNBOARD_MODEL_CONCURRENCY: '0' },
      "RUNBOARD_MODEL_CONCURRENCY must be an integer from 1 to 1000, got '0'.",
    ],
    [
      { RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1', RUNBOARD_MODEL_MAX_TOOL_CALLS: '100000000' },
      "RUNBOARD_MODEL_MAX_TOOL_CALLS must be an integer from 1 to 1024, got '100000000'.",
    ],
    [
      { RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_BASE_URL: 'https://llm.example.com/v1' },
      'Set OPENAI_BASE_URL (proxy mode: the upstream runs the runs) or RUNBOARD_MODEL_BASE_URL (the emulator runs them on a model), not both.',
    ],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
