// `kasir user create` (operator, on the database): a dashboard account. A merchant's owner, developer or
// viewer (--merchant), or an operator who sees every merchant (no --merchant). The password is generated and
// printed once, unless it arrives on standard input (--password-stdin), so it never sits in shell history or
// a process list.
import type { Command } from 'commander';
import { EXIT, UsageError, withStore, type CliRun } from './common.ts';

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

interface UserCreateOptions {
  merchant?: string;
  email: string;
  role: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export function userCommands(program: Command, run: CliRun): void {
  const user = program.command('user').description('Dashboard accounts, on the database DATABASE_URL names (operator)');
  user
    .command('create')
    .description('Create a dashboard account; the password is generated and printed once unless --password-stdin')
    .option('--merchant <id>', 'the merchant whose owner, developer or viewer it is (leave out for an operator)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', 'owner, developer, viewer, or operator (every merchant)')
    .option('--password-stdin', 'read the password from standard input (one line)')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: UserCreateOptions) => {
        // One line: the trailing newline of `echo` or a here-string is not part of the password.
        const password = options.passwordStdin
          ? (await (run.io.readStdin ?? readProcessStdin)()).replace(/\r?\n$/, '')
          : undefined;
        const { DashboardAccountError, createDashboardUser } = await import('../usecases/dashboard-accounts.ts');
        const created = await withStore(run, async ({ store }) => {
          try {
            return await createDashboardUser(store.db, {
              merchantId: options.merchant,
              email: options.email,
              role: options.role,
              password,
            });
          } catch (error) {
            if (error instanceof DashboardAccountError) throw new UsageError(error.message);
            throw error;
          }
        });
        const { user: u, generated } = created;
        const result = {
          id: u.id,
          email: u.email,
          role: u.role,
          merchantId: u.merchantId,
          ...(generated && { password: created.password }),
        };
        run.print(options.json, result, () =>
          [
            `Dashboard user ${u.email} created (${u.role}${u.merchantId ? ` of merchant ${u.merchantId}` : ', every merchant'}).`,
            ...(generated ? [`  Password (shown once; only its hash is stored): ${created.password}`] : []),
            '  Sign in at /dashboard.',
          ].join('\n'),
        );
        return EXIT.ok;
      }),
    );
}
