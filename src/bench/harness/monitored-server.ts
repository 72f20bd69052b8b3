/**
 * A child process running the real server (`startServer`, configured from its environment like `npm start`) that
 * also measures itself: its event-loop delay and memory, read over IPC. Started by `startMonitoredServer`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/start-server';
import { createLogger } from '../../platform/logger';
import type { MonitorReply, MonitorRequest } from './monitored-server-process';

const config = loadConfig();
const server = await startServer(config, createLogger(config.logLevel), { dashboardDir: null });
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

const send = (message: MonitorReply) => process.send?.(message);
process.on('message', (message: MonitorRequest) => {
  if (message.kind === 'reset') {
    delay.reset();
    send({ kind: 'reset' });
  } else if (message.kind === 'sample') {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({
      kind: 'sample',
      loopDelayMs: {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
      },
      rssMb: memory.rss / 2 ** 20,
      heapUsedMb: memory.heapUsed / 2 ** 20,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (message.kind === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
send({ kind: 'ready', url: server.url });
