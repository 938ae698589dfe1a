/** Server-wide counters for INFO stats (reset by CONFIG RESETSTAT). */
export class Stats {
  commandsProcessed = 0;
  totalConnections = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;

  reset(): void {
    this.commandsProcessed = 0;
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
  }
}
