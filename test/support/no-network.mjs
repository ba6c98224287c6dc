// Preloaded with `--import` (also into every worker thread that inherits the flags, as
// tesseract.js's workers do): any attempt to open a connection, resolve a name or fetch throws
// and is reported on stderr as "NETWORK ATTEMPT …", so a test can prove OCR runs offline.
import dns from 'node:dns';
import net from 'node:net';
import { threadId } from 'node:worker_threads';

const refuse = (what) => {
  process.stderr.write(`NETWORK ATTEMPT ${what} (thread ${threadId})\n${process.env.NO_NETWORK_STACK ? new Error().stack + '\n' : ''}`);
  throw new Error(`network is off in this test: ${what}`);
};
const connect = net.Socket.prototype.connect;
/** A local pipe (a path, as tsx's loader uses to talk to its parent) is not the network; a port is. */
const isLocalPipe = (args) => {
  const [first] = Array.isArray(args[0]) ? args[0] : args;
  return (
    (typeof first === 'string' && !/^\d+$/.test(first)) || (typeof first === 'object' && first !== null && typeof first.path === 'string')
  );
};
net.Socket.prototype.connect = function (...args) {
  if (isLocalPipe(args)) return connect.apply(this, args);
  refuse(`net.Socket.connect ${JSON.stringify(args[0])?.slice(0, 80)}`);
};
dns.lookup = () => refuse('dns.lookup');
dns.promises.lookup = async () => refuse('dns.promises.lookup');
globalThis.fetch = async (url) => refuse(`fetch ${url}`);
process.stderr.write(`no-network preload in thread ${threadId}\n`);
