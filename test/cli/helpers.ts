// What the CLI tests share: a captured run of `kasir …` in-process, and a listening harness Kasir with the
// environment that points the CLI at it.
import type { AddressInfo } from 'node:net';
import { runCli, type CliIo } from '../../src/cli/main.ts';
import { makeHarness, type DbKind, type Harness } from '../helpers/harness.ts';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function kasir(argv: string[], env: Record<string, string>, extra: Partial<CliIo> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env, ...extra });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export interface LiveKasir {
  h: Harness;
  baseUrl: string;
  /** KASIR_BASE_URL, KASIR_MERCHANT_ID and KASIR_MERCHANT_SECRET of the harness merchant; no profile file. */
  env: Record<string, string>;
}

export async function liveKasir(kind: DbKind = 'sqlite'): Promise<LiveKasir> {
  const h = await makeHarness(kind);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  return {
    h,
    baseUrl,
    env: {
      KASIR_BASE_URL: baseUrl,
      KASIR_MERCHANT_ID: h.merchant.id,
      KASIR_MERCHANT_SECRET: h.merchantSecret,
      KASIR_CONFIG_DIR: '/nonexistent-kasir-config',
    },
  };
}
