/**
 * One task at a time per document. Requests of the same kind (say, two diagnostic pulls) supersede each other:
 * a task asks `isCurrent()` before its expensive step and cancels itself when a newer one of its kind is queued.
 */
export type QueuedTask<T> = (isCurrent: () => boolean) => Promise<T>;

export class PerDocumentQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly latest = new Map<string, number>();
  private counter = 0;

  /** Without `kind`, a background task: it supersedes nothing and is never superseded. */
  run<T>(uri: string, task: QueuedTask<T>, kind?: string): Promise<T> {
    const ticket = ++this.counter;
    const kindKey = kind === undefined ? undefined : `${kind} ${uri}`;
    if (kindKey !== undefined) this.latest.set(kindKey, ticket);
    const isCurrent = () => kindKey === undefined || this.latest.get(kindKey) === ticket;
    const previous = this.tails.get(uri) ?? Promise.resolve();
    const result = previous.then(() => task(isCurrent));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(uri, tail);
    // Forget settled documents so the maps do not grow with every file ever seen.
    void tail.then(() => {
      if (this.tails.get(uri) === tail) this.tails.delete(uri);
      if (kindKey !== undefined && this.latest.get(kindKey) === ticket) this.latest.delete(kindKey);
    });
    return result;
  }
}
