declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** Options of a dynalite server. */
  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    /** Milliseconds a table stays CREATING. */
    createTableMs?: number;
    /** Milliseconds a table stays DELETING. */
    deleteTableMs?: number;
    /** Milliseconds a table stays UPDATING. */
    updateTableMs?: number;
    /** Maximum item size in KB. */
    maxItemSizeKb?: number;
    /** Serve HTTPS with dynalite's self-signed certificate instead of HTTP. */
    ssl?: boolean;
  }

  /** Creates a DynamoDB-API HTTP server. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
