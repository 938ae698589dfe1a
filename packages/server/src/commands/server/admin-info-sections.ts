/**
 * INFO's sections other than `cluster`: each a list of Redis's fields and values, in Redis 7.0's order. Fields we have
 * no equivalent for keep Redis's idle values (0, ok, -1) so parsers find every field they expect.
 */
import { STARTUP_MEMORY } from '../../eviction.js';
import type { CommandSpec, ServerContext } from '../../context.js';
import { REDIS_VERSION, VERSION } from '../../version.js';

/** node:os, loaded on the first INFO server: a start does not need it. */
let osModule: typeof import('node:os') | undefined;
const os = () => (osModule ??= process.getBuiltinModule('node:os'));

/** A fixed replication id: this server is never a replica and has no replication stream. */
const REPLICATION_ID = '0000000000000000000000000000000000000000';

/** Redis's bytesToHuman: 943.16K, 1.50M, 12B. */
export function bytesToHuman(bytes: number): string {
  const units = ['K', 'M', 'G', 'T', 'P', 'E'];
  if (bytes < 1024) return `${bytes}B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)}${units[unit]!}`;
}

export type Lines = Array<[string, string | number]>;

export function serverSection(server: ServerContext): Lines {
  const now = server.clock.now();
  const uptime = Math.max(0, Math.floor((now - server.startedAt) / 1000));
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['redis_mode', 'standalone'],
    ['os', `${os().type()} ${os().release()} ${os().machine()}`],
    ['arch_bits', os().arch().endsWith('64') ? 64 : 32],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'winsock' : 'kqueue'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.config.get('port')],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', server.config.get('hz')],
    ['configured_hz', server.config.get('hz')],
    ['lru_clock', Math.floor(now / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? process.execPath],
    ['config_file', server.config.configFile ?? ''],
    ['io_threads_active', 0],
    ['mini_redis_version', VERSION],
  ];
}

export function clientsSection(server: ServerContext): Lines {
  return [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    ['maxclients', server.config.get('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', server.blocking.blockedCount + server.pause.postponedCount],
    ['tracking_clients', server.tracking.clientCount],
    ['clients_in_timeout_table', 0],
  ];
}

export function memorySection(server: ServerContext): Lines {
  const usage = process.memoryUsage();
  // The dataset estimate (eviction.ts) when the server has one, else the JS heap.
  const used = server.eviction?.usedMemory() ?? usage.heapUsed;
  const maxmemory = Number(server.config.get('maxmemory'));
  const startup = server.eviction !== undefined ? STARTUP_MEMORY : 0;
  const ratio = (usage.rss / Math.max(used, 1)).toFixed(2);
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', usage.rss],
    ['used_memory_rss_human', bytesToHuman(usage.rss)],
    ['used_memory_peak', used],
    ['used_memory_peak_human', bytesToHuman(used)],
    ['used_memory_peak_perc', '100.00%'],
    ['used_memory_overhead', startup],
    ['used_memory_startup', startup],
    ['used_memory_dataset', used - startup],
    ['used_memory_dataset_perc', '100.00%'],
    ['allocator_allocated', usage.heapUsed],
    ['allocator_active', usage.heapTotal],
    ['allocator_resident', usage.rss],
    ['total_system_memory', 0],
    ['total_system_memory_human', '0B'],
    ['used_memory_lua', 0],
    ['used_memory_vm_eval', 0],
    ['used_memory_lua_human', '0B'],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', '0B'],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', '1.00'],
    ['allocator_rss_bytes', 0],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', ratio],
    ['mem_fragmentation_bytes', usage.rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', 0],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

export function persistenceSection(server: ServerContext): Lines {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', server.stats.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(server.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
}

export function statsSection(server: ServerContext): Lines {
  const stats = server.stats;
  const kbps = stats.instantaneousKbps(server.clock.now());
  return [
    ['total_connections_received', stats.totalConnections],
    ['total_commands_processed', stats.commandsProcessed],
    ['instantaneous_ops_per_sec', stats.instantaneousOps(server.clock.now())],
    ['total_net_input_bytes', stats.netInputBytes],
    ['total_net_output_bytes', stats.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', kbps.input.toFixed(2)],
    ['instantaneous_output_kbps', kbps.output.toFixed(2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', stats.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', stats.expiredKeys(server.store)],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', server.eviction?.evictedKeys ?? 0],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', stats.keyspaceHits],
    ['keyspace_misses', stats.keyspaceMisses],
    ['pubsub_channels', server.pubsub.channels.size],
    ['pubsub_patterns', server.pubsub.patterns.size],
    ['pubsubshard_channels', server.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', server.tracking.totalKeys],
    ['tracking_total_items', server.tracking.totalItems],
    ['tracking_total_prefixes', server.tracking.totalPrefixes],
    ['unexpected_error_replies', 0],
    ['total_error_replies', stats.errorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', stats.readsProcessed],
    ['total_writes_processed', stats.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

export function replicationSection(server: ServerContext): Lines {
  return [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.runId],
    ['master_replid2', REPLICATION_ID],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', server.config.get('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

export function cpuSection(): Lines {
  const usage = process.resourceUsage();
  const seconds = (micros: number) => (micros / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', seconds(usage.systemCPUTime)],
    ['used_cpu_user', seconds(usage.userCPUTime)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', seconds(usage.systemCPUTime)],
    ['used_cpu_user_main_thread', seconds(usage.userCPUTime)],
  ];
}

export function keyspaceSection(server: ServerContext): Lines {
  const lines: Lines = [];
  for (let index = 0; index < server.store.databaseCount; index++) {
    const db = server.store.db(index);
    const keys = db.size();
    if (keys > 0) lines.push([`db${index}`, `keys=${keys},expires=${db.expiringCount()},avg_ttl=0`]);
  }
  return lines;
}

/** cmdstat_<name>:calls=...,usec=...,usec_per_call=...,rejected_calls=...,failed_calls=... for commands used. */
export function commandStatsSection(server: ServerContext): Lines {
  const lines: Lines = [];
  const visit = (spec: CommandSpec) => {
    const stats = spec.stats;
    if (stats === undefined || (stats.calls === 0 && stats.failed === 0 && stats.rejected === 0)) return;
    const perCall = stats.calls === 0 ? 0 : stats.usec / stats.calls;
    lines.push([
      `cmdstat_${server.commands.fullName(spec)}`,
      `calls=${stats.calls},usec=${stats.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${stats.rejected},failed_calls=${stats.failed}`,
    ]);
  };
  for (const spec of server.commands.all) {
    visit(spec);
    for (const sub of spec.subcommands ?? []) visit(sub);
  }
  return lines;
}

/**
 * latency_percentiles_usec_<name>:p50=...,p99=...,p99.9=... for the commands with a histogram; nothing while
 * latency-tracking is off (the histograms are kept).
 */
export function latencyStatsSection(server: ServerContext): Lines {
  const latency = server.latency;
  const lines: Lines = [];
  if (!latency.enabled) return lines;
  const visit = (spec: CommandSpec) => {
    const histogram = spec.stats?.latency;
    if (histogram !== undefined) {
      lines.push([`latency_percentiles_usec_${server.commands.fullName(spec)}`, latency.percentileText(histogram)]);
    }
  };
  for (const spec of server.commands.all) {
    visit(spec);
    for (const sub of spec.subcommands ?? []) visit(sub);
  }
  return lines;
}

/** errorstat_<CODE>:count=N, codes in byte order (Redis keeps them in a radix tree). */
export function errorStatsSection(server: ServerContext): Lines {
  return [...server.stats.errorCounts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, count]): [string, string] => [`errorstat_${code}`, `count=${count}`]);
}
