// Reads that events ask for in bursts: a call made while one is under way folds into one more run after it, so a
// burst of events costs at most two reads and the last one sees the newest state.

/**
 * Wraps read(): the returned function starts it, or, while it runs, asks for one more run. stop() (optional) ends
 * the loop early (a view that is gone). The returned function gives the promise of the run under way.
 */
export function coalesce(read, stop = () => false) {
  let running = null;
  let again = false;
  return function run() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await read();
        } while (again && !stop());
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
