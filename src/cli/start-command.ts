// `kasir start`: runs the server exactly as `npm start` does — the same entry (server.ts), the same
// environment variables (README's Configuration) — so `npx kasir start` is all a project needs.
import type { Command } from 'commander';
import { UsageError, type CliRun } from './common.ts';

export function startCommand(program: Command, run: CliRun): void {
  program
    .command('start')
    .description('Run Kasir (as npm start does); configured by the environment: PORT, DATABASE_URL, … (README)')
    .option('--port <port>', 'HTTP port (sets PORT)')
    .action(
      run.action(async (options: { port?: string }) => {
        if (options.port !== undefined) {
          if (!/^\d{1,5}$/.test(options.port) || Number(options.port) > 65_535) throw new UsageError('--port must be 0–65535');
          process.env.PORT = options.port;
        }
        await import('../server.ts');
        // The server runs until a signal; server.ts ends the process itself after its graceful shutdown.
        return new Promise<number>(() => {});
      }),
    );
}
