// The addresses colleagues can reach this machine at: its IPv4 interfaces other than loopback
// (loopback last, for the person at the server).
import { networkInterfaces } from 'node:os';

export function lanAddresses(): string[] {
  const found = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i && i.family === 'IPv4' && !i.internal ? [i.address] : []));
  return [...new Set(found), '127.0.0.1'];
}
