// Reads the Dockerfile the way the deploy tests need it: instructions (continuation lines joined, comments
// dropped) grouped by stage, with the few argument forms Kasir's Dockerfile uses (exec-form JSON arrays,
// KEY=VALUE pairs, --flag=value options). Not a general Dockerfile parser: an instruction it does not know
// makes the tests fail rather than be skipped.
import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  /** The flags before the arguments (`--from=build`, `--mount=…`), by name. */
  flags: Record<string, string>;
  /** What follows the keyword and its flags. */
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

export function readDockerfile(path: URL): Stage[] {
  const stages: Stage[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let text = lines[i]!.trim();
    if (text === '' || text.startsWith('#')) continue;
    while (text.endsWith('\\')) text = `${text.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(text) ?? [];
    const { flags, args } = splitFlags(rest);
    const instruction = { keyword: keyword.toUpperCase(), flags, args, line: start };
    if (instruction.keyword === 'ARG' && stages.length === 0) continue;
    if (instruction.keyword === 'FROM') {
      const [, image = '', name = String(stages.length)] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ name, image, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${start}: ${keyword} before any FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (let flag = /^--([a-z-]+)=(\S+)\s*/.exec(args); flag; flag = /^--([a-z-]+)=(\S+)\s*/.exec(args)) {
    flags[flag[1]!] = flag[2]!;
    args = args.slice(flag[0].length);
  }
  return { flags, args };
}

/** An exec-form argument (`["node", "dist/server.js"]`) as its array; a shell-form one is refused. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`expected an exec-form JSON array of strings, got ${args}`);
  }
  return parsed;
}

/** ENV's KEY=VALUE pairs (values without spaces or quotes, as Kasir's Dockerfile writes them). */
export function envPairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of args.split(/\s+/)) {
    const [, key, value] = /^([A-Z_][A-Z0-9_]*)=([^"'\s]*)$/.exec(pair) ?? [];
    if (key === undefined || value === undefined) throw new Error(`ENV: cannot read "${pair}"`);
    pairs[key] = value;
  }
  return pairs;
}

/** HEALTHCHECK's options and its command. */
export function healthcheck(instruction: Instruction): { options: Record<string, string>; command: string[] } {
  const [, command = ''] = /^CMD\s+(.*)$/.exec(instruction.args) ?? [];
  return { options: instruction.flags, command: execForm(command) };
}
