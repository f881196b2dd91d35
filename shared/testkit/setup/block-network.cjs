// Tests talk to loopback only: any other host fails like an unreachable network, so a test
// can never depend on, or leak data to, the outside world.
const net = require('node:net');

const BLOCKED = Symbol.for('backend-hub.outbound-network-blocked');
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/i;

if (!net.Socket.prototype[BLOCKED]) {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connectToLoopbackOnly(...args) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = typeof first === 'object' && first !== null ? first : {};
    const isPipe = typeof options.path === 'string' || (typeof first === 'string' && Number.isNaN(Number(first)));
    const host = options.host ?? (typeof args[1] === 'string' ? args[1] : 'localhost');
    if (!isPipe && !LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) {
      const error = Object.assign(new Error(`Outbound network is blocked in tests (tried ${host})`), { code: 'ENETUNREACH' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args);
  };
  net.Socket.prototype[BLOCKED] = true;
}
