/**
 * The server's shape, checked: no import circle among its source files (type-only imports included), no command
 * module reaching the network layer or the server class, and every command of the table runnable and documented.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RespMap } from '@mini-redis/protocol';
import { describe, expect, test } from 'vitest';
import { allCommands } from './commands/index.js';
import { commandDocs } from './commands/server/command-docs.js';

const root = dirname(fileURLToPath(import.meta.url));

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

/** Relative imports of every source file, as paths relative to src (both `import` and `import type`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const match of text.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gms)) {
      targets.push(relative(root, resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'))));
    }
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** Redis 7.2 subcommands that clients send on connect and we answer; Redis 7.0.15 has no docs for them. */
const NEWER_THAN_7_0 = new Set(['client|setinfo', 'client|no-touch']);

describe('architecture', () => {
  const graph = importGraph();

  test('no import circle among the source files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  test('command modules never import the network layer or the server class', () => {
    const offenders: string[] = [];
    for (const [file, targets] of graph) {
      if (!file.startsWith('commands/')) continue;
      for (const target of targets) {
        if (target.startsWith('net/') || target === 'server.ts' || target === 'cli.ts') offenders.push(`${file} -> ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test('every command and subcommand has a handler and Redis documentation', () => {
    const missing: string[] = [];
    for (const spec of allCommands) {
      if (spec.subcommands === undefined && spec.run === undefined) missing.push(`${spec.name}: no handler`);
      if (commandDocs(spec.name) === undefined) missing.push(`${spec.name}: no docs`);
      for (const sub of spec.subcommands ?? []) {
        if (sub.run === undefined) missing.push(`${spec.name}|${sub.name}: no handler`);
        const name = `${spec.name}|${sub.name}`;
        if (sub.name !== 'help' && !NEWER_THAN_7_0.has(name) && commandDocs(name) === undefined) {
          missing.push(`${spec.name}|${sub.name}: no docs`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

/** The README's command list, generated from the table and grouped as Redis's docs group them. */
function commandList(): string {
  const groups = new Map<string, string[]>();
  for (const spec of allCommands) {
    const doc = commandDocs(spec.name);
    const group = doc instanceof RespMap ? String(doc.items[doc.items.indexOf('group') + 1]) : 'mini-redis';
    const subs = spec.subcommands?.filter((sub) => sub.name !== 'help').map((sub) => sub.name.toUpperCase()) ?? [];
    const name = spec.name.toUpperCase() + (subs.length > 0 ? ` (${subs.join(', ')})` : '');
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push(name);
  }
  let text = `${allCommands.length} commands. Generated from the command table by src/architecture.test.ts (UPDATE_README=1 rewrites it).\n\n`;
  text += '| group | commands |\n| --- | --- |\n';
  for (const [group, names] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    text += `| ${group} | ${names.sort().join(', ')} |\n`;
  }
  return text;
}

test('the README lists every command of the table', () => {
  const path = join(root, '..', 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- commands:start -->\n';
  const end = '<!-- commands:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  expect(from, 'README.md has the commands markers').toBeGreaterThan(-1);
  const generated = commandList();
  if (process.env['UPDATE_README'] === '1') {
    writeFileSync(path, readme.slice(0, from + start.length) + generated + readme.slice(to));
    return;
  }
  expect(readme.slice(from + start.length, to)).toBe(generated);
});
