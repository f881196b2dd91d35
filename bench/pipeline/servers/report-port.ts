import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Tells the parent (run.ts) which port the server got. */
export function reportPort(server: Server): void {
  process.send?.({ port: (server.address() as AddressInfo).port });
}
