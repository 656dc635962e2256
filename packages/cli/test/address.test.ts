import { describe, expect, it } from 'vitest';
import { parseAddress } from '../src/address.js';
import { UsageError } from '../src/usage-error.js';

describe('parseAddress', () => {
  it.each([
    [':3000', 'localhost:3000', { host: 'localhost', port: 3000 }],
    ['twelvefa:80', 'twelvefa:80', { host: 'twelvefa', port: 80 }],
    ['127.0.0.1:3000', '127.0.0.1:3000', { host: '127.0.0.1', port: 3000 }],
    ['[::1]:3000', '[::1]:3000', { host: '::1', port: 3000 }],
    [' localhost:3000 ', 'localhost:3000', { host: 'localhost', port: 3000 }],
    [
      'dns:///calc.example.com:443',
      'dns:///calc.example.com:443',
      { host: 'calc.example.com', port: 443 },
    ],
    ['dns:calc:443', 'dns:calc:443', { host: 'calc', port: 443 }],
  ])('accepts %s', (input, target, endpoint) => {
    const address = parseAddress(input);
    expect(address.target).toBe(target);
    expect(address.endpoint).toEqual(endpoint);
    expect(address.display).toBe(input.trim());
  });

  it('passes grpc-js unix targets through, keeping the socket path for diagnosis', () => {
    expect(parseAddress('unix:/run/calc.sock')).toEqual({
      display: 'unix:/run/calc.sock',
      target: 'unix:/run/calc.sock',
      socketPath: '/run/calc.sock',
    });
    expect(parseAddress('unix:///run/calc.sock').socketPath).toBe('/run/calc.sock');
  });

  it('reads a bare port as one on localhost, as people type it', () => {
    expect(parseAddress('3000')).toEqual({
      display: '3000',
      target: 'localhost:3000',
      endpoint: { host: 'localhost', port: 3000 },
    });
  });

  const hint = 'use :PORT, HOST:PORT, [IPV6]:PORT or dns:///HOST:PORT, e.g. localhost:3000';
  it.each([
    ['', `the server address is empty; ${hint}`],
    ['localhost', `"localhost" has no port; ${hint}`],
    ['localhost:', `"localhost:" has no port; ${hint}`],
    ['[::1]', `"[::1]" has no port; ${hint}`],
    ['localhost:http', '"http" in "localhost:http" is not a port; ports are 1..65535'],
    [':0', '"0" in ":0" is not a port; ports are 1..65535'],
    [':65536', '"65536" in ":65536" is not a port; ports are 1..65535'],
    ['::1:3000', 'IPv6 addresses need brackets, e.g. [::1]:3000, got "::1:3000"'],
    ['http://localhost:3000', `unsupported address scheme in "http://localhost:3000"; ${hint}`],
  ])('rejects %j with a usage error', (input, message) => {
    expect(() => parseAddress(input)).toThrow(new UsageError(message));
  });
});
