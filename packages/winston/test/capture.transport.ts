import Transport from 'winston-transport';

/** A winston transport that keeps what it receives: the info objects and their formatted messages. */
export class CaptureTransport extends Transport {
  readonly infos: Record<string | symbol, unknown>[] = [];

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    this.infos.push(info);
    callback();
  }

  /** The formatted lines (`info[Symbol.for('message')]`). */
  get lines(): string[] {
    return this.infos.map((info) => String(info[Symbol.for('message')]));
  }
}
