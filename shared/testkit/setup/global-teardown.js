export default async function stopEngines() {
  for (const engine of globalThis.hubEngines ?? []) await engine.stop();
  globalThis.hubEngines = undefined;
}
