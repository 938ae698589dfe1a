// Error types: ProtocolError for malformed wire data, ErrorReply/BlobErrorReply for error replies carried as values.

/** Malformed RESP input. The message is Redis's text without the `ERR ` prefix, e.g. `Protocol error: invalid bulk length`. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(message: string) {
    super(message);
  }
}

/** An error reply (`-ERR ...`). `message` is the full text including the code, e.g. `ERR unknown command`. */
export class ErrorReply extends Error {
  override readonly name: string = 'ErrorReply';
  constructor(message: string) {
    super(message);
  }
  /** The error code: the first word of the message, e.g. `ERR`, `WRONGTYPE`. */
  get code(): string {
    const space = this.message.indexOf(' ');
    return space === -1 ? this.message : this.message.slice(0, space);
  }
}

/** A RESP3 blob error (`!len\r\n...`). */
export class BlobErrorReply extends ErrorReply {
  override readonly name: string = 'BlobErrorReply';
}
