/** An in-memory destination for a real pino logger: pino writes each line to `write()`. */
export class CaptureStream {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  /** Each line as the object a log reader would parse. */
  get records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
