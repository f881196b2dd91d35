import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Tells the parent (run.ts) which port the server got, and answers its requests for the CPU
 * time used so far: CPU per request is the figure that other load on the machine disturbs least.
 */
export function reportPort(server: Server): void {
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.send?.({ port: (server.address() as AddressInfo).port });
}
