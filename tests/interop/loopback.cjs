'use strict';
// Preloaded with `node -r loopback.cjs` by the interop harness (referencesdk.cpp).
//
// The reference SDK calls listen(port) without a host, which binds every interface. This rewrites
// net.Server.prototype.listen so that every TCP listen() binds 127.0.0.1 instead, whatever host
// (or none) the caller gave. Unix-socket and handle listens pass through unchanged. http, https
// and Koa servers all inherit from net.Server, so this one patch covers them.

const net = require('net');

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

function isPort(value) {
    if (typeof value === 'number') {
        return true;
    }
    return typeof value === 'string' && /^[0-9]+$/.test(value);
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
    const first = args[0];

    // listen(options[, callback])
    if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
        if (first.path !== undefined || first.fd !== undefined || first._handle !== undefined
            || first.handle !== undefined) {
            return originalListen.apply(this, args);
        }
        args[0] = Object.assign({}, first, { host: LOOPBACK, ipv6Only: false });
        return originalListen.apply(this, args);
    }

    // listen(), listen(callback): an ephemeral port on every interface by default
    if (first === undefined || typeof first === 'function') {
        return originalListen.call(this, { port: 0, host: LOOPBACK }, ...args.slice(first === undefined ? 1 : 0));
    }

    // listen(port[, host][, backlog][, callback])
    if (isPort(first)) {
        const rest = args.slice(1);
        if (typeof rest[0] === 'string') {
            rest.shift(); // drop the caller's host
        }
        let backlog;
        if (typeof rest[0] === 'number') {
            backlog = rest.shift();
        }
        const options = { port: Number(first), host: LOOPBACK };
        if (backlog !== undefined) {
            options.backlog = backlog;
        }
        return originalListen.call(this, options, ...rest);
    }

    // listen(path[, backlog][, callback]): a Unix socket
    return originalListen.apply(this, args);
};
