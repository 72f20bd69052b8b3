import { runCopyCommand } from './copy-command';

/** `npm run db:copy -- --from … --to …` (see copy-command.ts). */
process.exitCode = await runCopyCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
