// `kasir user create`: a dashboard account. A merchant's owner, developer or viewer (--merchant), or an
// operator who sees every merchant (no --merchant). The password is generated and printed once, unless
// it arrives on standard input (--password-stdin), so it never sits in shell history or a process list.
import { parseArgs } from 'node:util';
import { DashboardAccountError, createDashboardUser } from '../usecases/dashboard-accounts.ts';
import type { Command } from './common.ts';

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export const userCommands: Record<string, Command> = {
  'user create': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: {
        merchant: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.email || !values.role) {
      io.err('kasir: --email and --role are required');
      return 2;
    }
    // One line: the trailing newline of `echo` or a here-string is not part of the password.
    const password = values['password-stdin'] ? (await (io.readStdin ?? readProcessStdin)()).replace(/\r?\n$/, '') : undefined;
    let created;
    try {
      created = await createDashboardUser(store.db, {
        merchantId: values.merchant,
        email: values.email,
        role: values.role,
        password,
      });
    } catch (error) {
      if (error instanceof DashboardAccountError) {
        io.err(`kasir: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const { user, generated } = created;
    const result = {
      id: user.id,
      email: user.email,
      role: user.role,
      merchantId: user.merchantId,
      ...(generated && { password: created.password }),
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(
        [
          `Dashboard user ${user.email} created (${user.role}${user.merchantId ? ` of merchant ${user.merchantId}` : ', every merchant'}).`,
          ...(generated ? [`  Password (shown once; only its hash is stored): ${created.password}`] : []),
          '  Sign in at /dashboard.',
        ].join('\n'),
      );
    }
    return 0;
  },
};
