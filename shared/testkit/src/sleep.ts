/**
 * A sleep for a service that waits on purpose (a slowed-down login): it waits for nothing and
 * records each wait it was asked for, in ms, so a test asserts the delay instead of taking it.
 */
export function recordedSleep(): { readonly waits: number[]; sleep(ms: number): Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep(ms) {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}
