/**
 * INFO: the server's state as Redis 7.0 reports it, which sections are asked for and the text they make (the sections
 * themselves are in admin-info-sections.ts).
 */
import { VerbatimString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, ServerContext } from '../../context.js';
import {
  clientsSection,
  commandStatsSection,
  cpuSection,
  errorStatsSection,
  keyspaceSection,
  latencyStatsSection,
  type Lines,
  memorySection,
  persistenceSection,
  replicationSection,
  serverSection,
  statsSection,
} from './admin-info-sections.js';

export { bytesToHuman } from './admin-info-sections.js';

/** Every section, in the order Redis prints them. */
const SECTIONS = [
  'server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats',
  'errorstats', 'latencystats', 'cluster', 'keyspace',
] as const;
type Section = (typeof SECTIONS)[number];

/** `INFO` and `INFO default`: everything but the per-command statistics. */
const DEFAULT_SECTIONS: ReadonlySet<string> = new Set(
  SECTIONS.filter((section) => section !== 'commandstats' && section !== 'latencystats'),
);

/** The header Redis prints for each section. */
const TITLES: Readonly<Record<Section, string>> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', modules: 'Modules', commandstats: 'Commandstats', errorstats: 'Errorstats',
  latencystats: 'Latencystats', cluster: 'Cluster', keyspace: 'Keyspace',
};

function sectionLines(server: ServerContext, section: Section): Lines {
  switch (section) {
    case 'server': return serverSection(server);
    case 'clients': return clientsSection(server);
    case 'memory': return memorySection(server);
    case 'persistence': return persistenceSection(server);
    case 'stats': return statsSection(server);
    case 'replication': return replicationSection(server);
    case 'cpu': return cpuSection();
    case 'cluster': return [['cluster_enabled', 0]];
    case 'keyspace': return keyspaceSection(server);
    case 'commandstats': return commandStatsSection(server);
    case 'errorstats': return errorStatsSection(server);
    case 'latencystats': return latencyStatsSection(server);
    default: return [];
  }
}

/** Which sections INFO's arguments ask for (any case; unknown names select nothing). */
function selectSections(args: readonly string[]): Set<string> {
  if (args.length <= 1) return new Set(DEFAULT_SECTIONS);
  const selected = new Set<string>();
  for (const arg of args.slice(1)) {
    const name = arg.toLowerCase();
    if (name === 'all' || name === 'everything') for (const section of SECTIONS) selected.add(section);
    else if (name === 'default') for (const section of DEFAULT_SECTIONS) selected.add(section);
    else selected.add(name);
  }
  return selected;
}

/** The INFO text for some sections: `# Title` headers, `key:value` lines, CRLF, a blank line between sections. */
export function infoText(server: ServerContext, args: readonly string[]): string {
  const selected = selectSections(args);
  let text = '';
  let count = 0;
  for (const section of SECTIONS) {
    if (!selected.has(section)) continue;
    if (count++ > 0) text += '\r\n';
    text += `# ${TITLES[section]}\r\n`;
    for (const [key, value] of sectionLines(server, section)) text += `${key}:${value}\r\n`;
  }
  return text;
}

/** INFO [section ...]: a bulk string (RESP3: a verbatim `txt` string). */
export function info(ctx: CommandContext, args: string[]): RespValue {
  const text = infoText(ctx.server, args);
  return ctx.protocol === 3 ? new VerbatimString('txt', text) : text;
}
