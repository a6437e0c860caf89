const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * Holds a secret (the device code) so that it cannot leak by accident: `JSON.stringify`, `String()`, template
 * literals and Node's `console.log` / `util.inspect` all print `[redacted]`. Only {@link Secret.reveal} returns the
 * value, and only the request that needs it calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call it only to put the value on the wire. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect](): string {
    return 'Secret [redacted]';
  }
}
