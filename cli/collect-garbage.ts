/**
 * A full garbage collection on demand. Between the programs of a split audit, V8 would otherwise grow the
 * heap to hold the released program's garbage and the next program together (on next@16.5.0: a 2.5 GiB
 * peak instead of 1.4 GiB).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | undefined;

export function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}
